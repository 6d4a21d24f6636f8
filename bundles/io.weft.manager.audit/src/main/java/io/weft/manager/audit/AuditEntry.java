package io.weft.manager.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit log, as the store keeps it and as {@link AuditJsonLines} exports it.
 *
 * <p>The constructor only rejects nulls in required fields, so that a store can load any row,
 * even a tampered one, and {@link AuditVerifier} can report it. Entries that
 * {@link AuditChain#append} makes satisfy the rules of {@link AuditEvent} as well.
 *
 * <p>The store must return every field exactly as it was appended, or the hash no longer
 * matches: {@code before} and {@code after} are hashed as text, so they belong in a text
 * column, not one that reformats JSON such as PostgreSQL's {@code jsonb}. The time has at most
 * microsecond precision, which both Derby and PostgreSQL timestamps keep.
 *
 * @param sequence      position in the log, 1 for the first entry and one more for each next
 * @param time          when the change was made
 * @param actor         user name of the operator who made the change, or a name such as
 *                      {@code system} for changes that the manager made itself
 * @param remoteAddress IP address of the client, or null for changes without a client
 * @param action        what was done, such as {@code node.update}
 * @param target        name of the changed object, such as {@code gw1.east.acme.example}
 * @param before        the object as JSON text before the change, or null when it was created
 * @param after         the object as JSON text after the change, or null when it was deleted
 * @param previousHash  {@link #hash} of the entry before, or {@link AuditChain#GENESIS_HASH}
 *                      for the first entry
 * @param hash          SHA-256 of the entry's {@linkplain AuditHash canonical encoding}, as 64
 *                      lower-case hexadecimal digits
 */
public record AuditEntry(long sequence, Instant time, String actor, String remoteAddress, String action,
        String target, String before, String after, String previousHash, String hash) {

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** Returns the anchor that this entry makes when it is the last one of the log. */
    public AuditAnchor anchor() {
        return new AuditAnchor(sequence, hash);
    }
}
