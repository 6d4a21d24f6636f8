package io.weft.manager.audit;

import java.util.Objects;

/**
 * Sequence number and hash of one audit entry, published outside the log so that a later
 * verification can detect entries removed from the end.
 *
 * <p>The hash chain detects any change to an entry, and any entry removed or moved, except
 * at the tail: a log cut after entry 90 of 100 is a valid chain of 90 entries. An anchor
 * closes that gap. The manager should publish the anchor of its last entry regularly to a
 * place that an attacker with access to the database cannot change, such as an operator's
 * mailbox or a write-once store, and pass it to {@link AuditVerifier#verify(Iterable, AuditAnchor)}.
 *
 * @param sequence sequence number of the entry, or 0 for the empty log
 * @param hash     hash of the entry, or {@link AuditChain#GENESIS_HASH} for the empty log
 */
public record AuditAnchor(long sequence, String hash) {

    /** Anchor of the empty log, which every log continues. */
    public static final AuditAnchor GENESIS = new AuditAnchor(0, AuditChain.GENESIS_HASH);

    public AuditAnchor {
        if (sequence < 0) {
            throw new IllegalArgumentException("Invalid anchor sequence " + sequence + ": it must be 0 or more");
        }
        Objects.requireNonNull(hash, "hash");
    }

    /**
     * Parses the form that {@link #toString} returns, such as {@code 100:9f86d0…}.
     *
     * @throws IllegalArgumentException when the text is not a sequence number, ':' and 64
     *                                  lower-case hexadecimal digits
     */
    public static AuditAnchor parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 1 || !AuditHash.isHash(text.substring(colon + 1)) || !text.substring(0, colon).matches("\\d{1,18}")) {
            throw new IllegalArgumentException("Invalid audit anchor of " + text.length() + " characters: expected the"
                    + " sequence number, ':' and the entry's SHA-256 hash as 64 lower-case hexadecimal digits");
        }
        return new AuditAnchor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
    }

    /** Returns the sequence number, ':' and the hash, the form to publish. */
    @Override
    public String toString() {
        return sequence + ":" + hash;
    }
}
