package io.weft.manager.store;

import org.osgi.annotation.versioning.ProviderType;

import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;

/**
 * The persistent, append-only audit log, chained by {@code AuditChain}.
 *
 * <p>Appends are serialized by a table lock that every manager sharing the database takes, and
 * the primary key on the sequence number rejects any append that continues a head another
 * append already continued, so the stored chain never forks. Stored entries come back with
 * every field exactly as appended, so {@code AuditVerifier} accepts an untouched log. Database
 * failures raise {@link StoreException}.
 */
@ProviderType
public interface AuditStore {

    /**
     * Appends the event as the entry after the current head, in one transaction, with the
     * current time truncated to microseconds.
     */
    AuditEntry append(AuditEvent event);

    /** Returns the anchor of the last entry, or {@link AuditAnchor#GENESIS} for an empty log. */
    AuditAnchor head();

    /**
     * Returns one page of entries that match the query.
     *
     * @throws IllegalArgumentException if the cursor is not a sequence number
     */
    Page<AuditEntry> listEntries(AuditQuery query);

    /**
     * Returns every entry in sequence order, for export and verification. The iterator reads
     * the log in pages, each in its own transaction, so memory use stays constant and no
     * connection stays open between pages. Entries appended before the iterator reads the last
     * page are included, and later ones are not.
     */
    Iterable<AuditEntry> entries();
}
