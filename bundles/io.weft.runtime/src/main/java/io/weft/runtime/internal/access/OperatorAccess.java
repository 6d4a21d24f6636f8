package io.weft.runtime.internal.access;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Creates the first operator account in Karaf's JAAS property files.
 *
 * <p>Nothing happens when users.properties or keys.properties already defines an account.
 * Otherwise a random password is written to an owner-only file, its SHA-512 digest is added
 * to users.properties, and an OpenSSH public key found in {@value #PUBLIC_KEY_FILE} is added
 * to keys.properties. Every file is replaced atomically, so a crash leaves either the old or
 * the new content.
 */
final class OperatorAccess {

    static final String USERS_FILE = "users.properties";
    static final String KEYS_FILE = "keys.properties";
    static final String PASSWORD_FILE = "weft-admin.password";
    static final String PUBLIC_KEY_FILE = "weft-admin.pub";

    /** 18 random bytes give 144 bits and 24 Base64 characters without padding. */
    private static final int PASSWORD_BYTES = 18;
    private static final int MIN_PASSWORD_LENGTH = 16;
    private static final String GROUP_PREFIX = "_g_:";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Result of a provisioning run. */
    record Outcome(boolean provisioned, Path passwordFile, Optional<Path> publicKeyFile) {
    }

    private final Path etc;
    private final String user;
    private final String group;
    private final SecureRandom random;

    OperatorAccess(Path etc, String user, String group, SecureRandom random) {
        this.etc = etc;
        this.user = user;
        this.group = group;
        this.random = random;
    }

    /**
     * Provisions the account unless one exists.
     *
     * @throws IOException when a file cannot be read or written
     * @throws IllegalArgumentException when the public key file or a leftover password file
     *         is invalid; the message names the file and the fix
     */
    Outcome provisionIfNeeded() throws IOException {
        Path users = etc.resolve(USERS_FILE);
        Path keys = etc.resolve(KEYS_FILE);
        Path passwordFile = etc.resolve(PASSWORD_FILE);
        if (hasAccount(users) || hasAccount(keys)) {
            return new Outcome(false, passwordFile, Optional.empty());
        }

        Path publicKeyFile = etc.resolve(PUBLIC_KEY_FILE);
        Optional<OpenSshPublicKey> publicKey = readPublicKey(publicKeyFile);
        String password = passwordFor(passwordFile);

        appendLine(users, user + " = " + digest(password) + "," + GROUP_PREFIX + group);
        if (publicKey.isPresent()) {
            appendLine(keys, user + " = " + publicKey.get().blob() + "," + GROUP_PREFIX + group);
        }
        return new Outcome(true, passwordFile, publicKey.map(k -> publicKeyFile));
    }

    /** Returns true when the file defines a user; lines whose key starts with _g_: define groups. */
    static boolean hasAccount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        return properties.stringPropertyNames().stream().anyMatch(key -> !key.startsWith(GROUP_PREFIX));
    }

    /**
     * Returns the password to provision. A password file left by an earlier run that stopped
     * before updating users.properties is reused, so the file is written only once.
     */
    private String passwordFor(Path passwordFile) throws IOException {
        if (Files.exists(passwordFile, LinkOption.NOFOLLOW_LINKS)) {
            requireOwnerOnlyRegularFile(passwordFile);
            String existing = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
            if (existing.length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException(passwordFile + " exists but contains no generated password "
                        + "(fewer than " + MIN_PASSWORD_LENGTH + " characters); delete it and restart to generate one");
            }
            return existing;
        }

        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        writeAtomically(passwordFile, password + "\n", false);
        return password;
    }

    private static void requireOwnerOnlyRegularFile(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(file + " exists but is not a regular file; "
                    + "delete it and restart to generate a password");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IllegalArgumentException(file + " is readable by other users ("
                    + PosixFilePermissions.toString(permissions) + "); delete it and restart to generate a password");
        }
    }

    private static Optional<OpenSshPublicKey> readPublicKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }

        List<String> keyLines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                keyLines.add(trimmed);
            }
        }
        if (keyLines.size() != 1) {
            throw new IllegalArgumentException(file + " must contain exactly one public key line but contains "
                    + keyLines.size() + "; keep the one key the operator logs in with");
        }

        try {
            return Optional.of(OpenSshPublicKey.parse(keyLines.get(0)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid public key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Formats the password as Karaf's basic JAAS encryption stores it with algorithm SHA-512. */
    static String digest(String password) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{CRYPT}" + HexFormat.of().withUpperCase().formatHex(hash) + "{CRYPT}";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-512", e);
        }
    }

    private static void appendLine(Path file, String line) throws IOException {
        String content = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        if (!content.isEmpty() && !content.endsWith("\n")) {
            content += "\n";
        }
        writeAtomically(file, content + line + "\n", true);
    }

    /**
     * Writes to a temporary owner-only file in the same folder, forces it to disk and renames
     * it over the target.
     */
    private static void writeAtomically(Path target, String content, boolean replace) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.ISO_8859_1.encode(content));
                channel.force(true);
            }
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A hard link, unlike a rename, fails when the target exists, so two starts
                // racing on the first provisioning cannot replace each other's file.
                Files.createLink(target, temp);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(target.getParent());
    }

    /** Makes the rename itself durable; Linux allows fsync on a directory opened for reading. */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
