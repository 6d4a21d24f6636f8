package io.weft.manager.access;

import io.weft.manager.access.internal.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Password of the first admin account, which the manager creates at its first start. There is
 * no default password: the manager generates one and writes it once to an owner-only file,
 * from which the operator reads it.
 *
 * <p>When the file exists, its password is used instead. That covers a start that wrote the
 * file but stopped before it stored the account, and an operator who placed a password there
 * before the first start. Such a file must be readable by its owner only and its password
 * must satisfy {@link PasswordPolicy}. The class does no logging and never writes the password
 * anywhere else.
 */
public final class FirstAdminPassword {

    /** Random bytes of a generated password: 144 bits, written as 24 Base64url characters. */
    public static final int PASSWORD_BYTES = 18;
    /** Maximum size of an existing password file, in bytes. */
    public static final int MAX_FILE_BYTES = 4096;

    /**
     * Password of the first admin and where it came from.
     *
     * @param password the password; the caller hashes it and then clears the array
     * @param created  true when this call generated the password and created the file
     */
    public record Result(char[] password, boolean created) {

        /** Returns whether the password was created, without the password. */
        @Override
        public String toString() {
            return "FirstAdminPassword.Result[created=" + created + "]";
        }
    }

    private final SecureRandom random;

    public FirstAdminPassword(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Returns the password in {@code file}, after generating it and creating the file with mode
     * 0600 when it does not exist. The file contains the password and a line break.
     *
     * @param userName the first admin's user name, which the password must not equal
     * @throws IOException                 when the file cannot be written or read, or other users
     *                                     can read it. The message names the file and the fix.
     * @throws InvalidAccessInputException when an existing file's password breaks {@link PasswordPolicy}
     */
    public Result createOrRead(Path file, String userName) throws IOException {
        char[] generated = generate();
        byte[] content = encode(generated);
        boolean created = false;
        try {
            created = OwnerOnlyFiles.createIfAbsent(file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
            if (!created) {
                Arrays.fill(generated, '\0');
            }
        }

        if (created) {
            return new Result(generated, true);
        }
        return new Result(read(file, userName), false);
    }

    private char[] generate() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        byte[] text = Base64.getUrlEncoder().withoutPadding().encode(bytes);
        char[] password = new char[text.length];
        for (int i = 0; i < text.length; i++) {
            password[i] = (char) text[i];
        }
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(text, (byte) 0);
        return password;
    }

    private static byte[] encode(char[] password) {
        byte[] content = new byte[password.length + 1];
        for (int i = 0; i < password.length; i++) {
            content[i] = (byte) password[i];
        }
        content[password.length] = '\n';
        return content;
    }

    /** Reads the password from an existing file, without its line break, and checks it. */
    private static char[] read(Path file, String userName) throws IOException {
        byte[] content;
        try {
            content = OwnerOnlyFiles.readChecked(file, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " existed a moment ago but is gone. Start the manager again.", e);
        }

        char[] password;
        try {
            password = decode(file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        try {
            PasswordPolicy.check(userName, password);
        } catch (InvalidAccessInputException e) {
            Arrays.fill(password, '\0');
            throw new InvalidAccessInputException(e.field(), "The password in " + file + " is not acceptable: "
                    + e.getMessage() + " Replace it, or delete the file to generate a password.");
        }
        return password;
    }

    private static char[] decode(Path file, byte[] content) throws IOException {
        int length = content.length;
        if (length > 0 && content[length - 1] == '\n') {
            length--;
        }
        if (length > 0 && content[length - 1] == '\r') {
            length--;
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, 0, length));
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text. Replace it, or delete it to generate a password.", e);
        }
        char[] password = new char[chars.remaining()];
        chars.get(password);
        Arrays.fill(chars.array(), '\0');
        return password;
    }
}
