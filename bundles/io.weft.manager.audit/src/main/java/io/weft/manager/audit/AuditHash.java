package io.weft.manager.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Canonical encoding and SHA-256 hash of an audit entry.
 *
 * <p>The hash of an entry is SHA-256 over the following fields, concatenated in this order
 * without separators, and written as 64 lower-case hexadecimal digits:
 *
 * <ol>
 * <li>the format tag {@value #FORMAT_TAG}, as a string;</li>
 * <li>the sequence number, as 8 bytes;</li>
 * <li>the time's seconds since 1970-01-01T00:00:00Z, as 8 bytes;</li>
 * <li>the time's nanoseconds within the second, 0 to 999,999,999, as 4 bytes;</li>
 * <li>actor, remote address, action, target, before and after, each as a string;</li>
 * <li>the previous entry's hash, as a string of its 64 hexadecimal digits.</li>
 * </ol>
 *
 * <p>Numbers are big-endian two's complement. A string is the 4-byte length of its UTF-8
 * encoding followed by those bytes, and null is the length -1 with no bytes. The length
 * prefixes make the encoding unambiguous: two entries whose fields differ and are valid Unicode
 * never have the same encoding, and JSON text in {@code before} and {@code after} is hashed exactly as stored,
 * without any canonical form of JSON. The entry's own {@code hash} field is not part of the
 * encoding.
 *
 * <p>An unpaired UTF-16 surrogate has no UTF-8 encoding, so it is encoded as '?'.
 * {@link AuditChain#append} rejects such text, and {@link AuditVerifier} reports an entry that
 * contains it before it compares hashes.
 */
public final class AuditHash {

    /** First field of the encoding; a later format would change it, so old hashes keep their meaning. */
    public static final String FORMAT_TAG = "weft-audit-v1";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private AuditHash() {
    }

    /** Returns the canonical encoding of the entry, without its {@code hash} field. */
    public static byte[] canonicalEncoding(AuditEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeString(out, FORMAT_TAG);
        writeLong(out, entry.sequence());
        Instant time = entry.time();
        writeLong(out, time.getEpochSecond());
        writeInt(out, time.getNano());
        writeString(out, entry.actor());
        writeString(out, entry.remoteAddress());
        writeString(out, entry.action());
        writeString(out, entry.target());
        writeString(out, entry.before());
        writeString(out, entry.after());
        writeString(out, entry.previousHash());
        return out.toByteArray();
    }

    /** Returns the hash that the entry's {@code hash} field must contain. */
    public static String compute(AuditEntry entry) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalEncoding(entry));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    /** Returns true when the text has the form of a hash: 64 lower-case hexadecimal digits. */
    public static boolean isHash(String text) {
        return text != null && HASH.matcher(text).matches();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        if (value == null) {
            writeInt(out, -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value).array());
    }
}
