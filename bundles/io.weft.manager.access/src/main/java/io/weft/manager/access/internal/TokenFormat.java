package io.weft.manager.access.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Text form of an API token: {@code weft_}, the id as 16 lower-case hexadecimal digits, {@code _},
 * and the secret as 43 Base64url characters without padding (32 random bytes), 65 characters
 * in all. The fixed lengths make the form unambiguous although Base64url also uses '_'.
 */
public final class TokenFormat {

    public static final String PREFIX = "weft_";
    public static final int ID_BYTES = 8;
    public static final int SECRET_BYTES = 32;
    public static final int ID_LENGTH = 2 * ID_BYTES;
    /** Base64url characters for {@link #SECRET_BYTES} without padding. */
    public static final int SECRET_LENGTH = (SECRET_BYTES * 8 + 5) / 6;
    public static final int LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;

    private static final Pattern ID = Pattern.compile("[0-9a-f]{" + ID_LENGTH + "}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TOKEN = Pattern.compile(Pattern.quote(PREFIX) + "([0-9a-f]{" + ID_LENGTH + "})_"
            + "[A-Za-z0-9_-]{" + SECRET_LENGTH + "}");

    private TokenFormat() {
    }

    /** Returns the id of a well-formed token, or null when the text is not of the token's form. */
    public static String idOf(String text) {
        if (text == null || text.length() != LENGTH) {
            return null;
        }
        var matcher = TOKEN.matcher(text);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** Describes the form for error messages. */
    public static String describe() {
        return "'" + PREFIX + "', " + ID_LENGTH + " hexadecimal digits, '_' and " + SECRET_LENGTH
                + " Base64url characters, " + LENGTH + " characters in all";
    }

    /** Returns SHA-256 of the token's ASCII text. */
    public static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    public static void requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Invalid token id " + Texts.quote(id) + ": expected " + ID_LENGTH
                    + " lower-case hexadecimal digits.");
        }
    }

    public static void requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("Invalid token digest: expected 64 lower-case hexadecimal digits"
                    + " of SHA-256.");
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static byte[] parseHex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
