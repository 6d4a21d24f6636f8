package io.weft.manager.store.internal.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned schema migration: an SQL script named {@code V<version>__<description>.sql}.
 *
 * @param version position in the migration sequence, from 1
 * @param description words of the file name after the version, underscores as spaces
 * @param script the SQL text, with line endings normalized to {@code \n}
 * @param checksum SHA-256 of the script in lower-case hex, computed before placeholders are
 *        replaced, so it is the same on every database
 */
public record Migration(int version, String description, String script, String checksum) {

    private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]{0,8})__([A-Za-z0-9_]+)\\.sql");

    public Migration {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(checksum, "checksum");
    }

    /**
     * Creates a migration from its file name and content.
     *
     * @throws IllegalArgumentException if the name does not match {@code V<version>__<description>.sql}
     */
    public static Migration of(String fileName, String content) {
        Matcher matcher = FILE_NAME.matcher(fileName);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Invalid migration file name '" + fileName
                    + "': expected V<version>__<description>.sql, for example V2__add_audit_log.sql");
        }

        String script = content.replace("\r\n", "\n");
        return new Migration(Integer.parseInt(matcher.group(1)), matcher.group(2).replace('_', ' '), script,
                sha256(script));
    }

    /** Returns the name used in messages, for example {@code V1 (fleet schema)}. */
    public String label() {
        return "V" + version + " (" + description + ")";
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, although every Java SE platform has it",
                    e);
        }
    }
}
