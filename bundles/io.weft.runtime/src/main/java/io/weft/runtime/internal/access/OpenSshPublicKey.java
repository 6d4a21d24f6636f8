package io.weft.runtime.internal.access;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * One public key in OpenSSH's {@code authorized_keys} form: {@code type base64-blob [comment]}.
 *
 * @param type the key type, such as {@code ecdsa-sha2-nistp256}
 * @param blob the Base64 text of the key blob, the form that Karaf's keys.properties stores
 */
record OpenSshPublicKey(String type, String blob) {

    /** Key types that Karaf 4.4's public key login module verifies. It has no Ed25519 support. */
    static final Set<String> SUPPORTED_TYPES = Set.of(
            "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException when the line is not a supported OpenSSH public key;
     *         the message states what is wrong and how to create a key that works
     */
    static OpenSshPublicKey parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("expected 'type base64-key [comment]' but the line has "
                    + fields.length + " field");
        }

        String type = fields[0];
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new IllegalArgumentException("key type '" + type + "' is not supported by Karaf's SSH login; "
                    + "use an ECDSA or RSA key, for example from 'ssh-keygen -t ecdsa -b 256'");
        }

        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key field is not valid Base64: " + e.getMessage(), e);
        }

        String embeddedType = embeddedType(decoded);
        if (!type.equals(embeddedType)) {
            throw new IllegalArgumentException("the key blob is of type '" + embeddedType
                    + "' but the line says '" + type + "'");
        }
        return new OpenSshPublicKey(type, fields[1]);
    }

    /** Reads the SSH string at the start of a key blob, which names the key type. */
    private static String embeddedType(byte[] blob) {
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        if (buffer.remaining() < Integer.BYTES) {
            throw new IllegalArgumentException("the key blob has " + blob.length
                    + " bytes, too few to name its type; copy the whole line from the .pub file");
        }

        int length = buffer.getInt();
        if (length <= 0 || length > buffer.remaining() || length > 64) {
            throw new IllegalArgumentException("the key blob is malformed: its type field claims "
                    + length + " bytes; copy the whole line from the .pub file");
        }
        byte[] type = new byte[length];
        buffer.get(type);
        return new String(type, StandardCharsets.US_ASCII);
    }
}
