package io.weft.manager.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Appends entries to the hash chain of the audit log.
 *
 * <p>Each entry carries the hash of the entry before it, and its own hash covers that value,
 * so changing, removing or moving any entry breaks the link to the next one. The first entry
 * links to {@link #GENESIS_HASH}.
 *
 * <p>The store must append under a lock or in a serializable transaction that reads the
 * current head, so that two appends never continue the same head. A unique key on the
 * sequence number turns a lost race into an error instead of a fork.
 */
public final class AuditChain {

    /** Previous hash of the first entry: 64 zeros. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private AuditChain() {
    }

    /**
     * Returns the entry that follows {@code head} and records {@code event} at {@code time}.
     * The time is truncated to microseconds, the precision that PostgreSQL stores, so that the
     * entry reads back from any supported database with the same hash.
     *
     * @param head  anchor of the log's last entry, or {@link AuditAnchor#GENESIS} for an empty log
     * @param time  when the change was made. It may be earlier than the head's time after a
     *              clock change, because the sequence number alone orders the log.
     * @param event the change to record, already validated by its constructor
     * @throws IllegalArgumentException when the head's hash is not 64 lower-case hexadecimal digits
     */
    public static AuditEntry append(AuditAnchor head, Instant time, AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (!AuditHash.isHash(head.hash())) {
            throw new IllegalArgumentException("Invalid head hash: expected 64 lower-case hexadecimal digits of SHA-256");
        }
        Instant stored = time.truncatedTo(ChronoUnit.MICROS);

        AuditEntry unhashed = new AuditEntry(Math.addExact(head.sequence(), 1), stored, event.actor(),
                event.remoteAddress(), event.action(), event.target(), event.before(), event.after(), head.hash(), "");
        return withHash(unhashed, AuditHash.compute(unhashed));
    }

    private static AuditEntry withHash(AuditEntry entry, String hash) {
        return new AuditEntry(entry.sequence(), entry.time(), entry.actor(), entry.remoteAddress(), entry.action(),
                entry.target(), entry.before(), entry.after(), entry.previousHash(), hash);
    }
}
