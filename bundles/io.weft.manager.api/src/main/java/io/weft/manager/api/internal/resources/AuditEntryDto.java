package io.weft.manager.api.internal.resources;

import io.weft.manager.audit.AuditEntry;

/**
 * One audit log entry as the API returns it. {@code before} and {@code after} are JSON text
 * exactly as hashed, so a client can recompute the hash chain from these fields.
 *
 * @param sequence      position in the log, from 1
 * @param time          when the change was recorded, an ISO-8601 instant in UTC
 * @param actor         user name of the operator, or {@code system}
 * @param remoteAddress the client's IP address, or null
 * @param action        what was done, such as {@code node.update}
 * @param target        the changed object, such as a domain name or {@code domain:<name>} for its profile
 * @param before        the object's API representation before the change as JSON text, null for a creation
 * @param after         the object's API representation after the change as JSON text, null for a deletion
 * @param previousHash  hash of the entry before
 * @param hash          SHA-256 of this entry, as 64 hexadecimal digits
 */
public record AuditEntryDto(long sequence, String time, String actor, String remoteAddress, String action,
        String target, String before, String after, String previousHash, String hash) {

    static AuditEntryDto of(AuditEntry entry) {
        return new AuditEntryDto(entry.sequence(), entry.time().toString(), entry.actor(), entry.remoteAddress(),
                entry.action(), entry.target(), entry.before(), entry.after(), entry.previousHash(), entry.hash());
    }
}
