package io.weft.manager.api.internal.resources;

import io.weft.manager.audit.AuditVerification;
import io.weft.manager.audit.BrokenLink;

/**
 * Result of verifying the audit log's hash chain.
 *
 * @param intact         true when every entry passed every check
 * @param entriesChecked number of entries that passed
 * @param lastIntact     anchor {@code <sequence>:<hash>} of the last entry that passed; for an
 *                       intact log, the anchor to keep and pass as {@code anchor} later
 * @param firstBroken    the first break, or null for an intact log
 */
public record AuditVerificationDto(boolean intact, long entriesChecked, String lastIntact, BrokenLinkDto firstBroken) {

    /**
     * The first place where the log fails verification.
     *
     * @param sequence the entry's sequence number
     * @param problem  the kind of break, such as {@code changed_entry}
     * @param message  a sentence that names the entries involved
     */
    public record BrokenLinkDto(long sequence, String problem, String message) {

        static BrokenLinkDto of(BrokenLink link) {
            return new BrokenLinkDto(link.sequence(), link.problem().name().toLowerCase(java.util.Locale.ROOT),
                    link.message());
        }
    }

    static AuditVerificationDto of(AuditVerification verification) {
        return new AuditVerificationDto(verification.isIntact(), verification.entriesChecked(),
                verification.lastIntact().toString(), verification.firstBroken().map(BrokenLinkDto::of).orElse(null));
    }
}
