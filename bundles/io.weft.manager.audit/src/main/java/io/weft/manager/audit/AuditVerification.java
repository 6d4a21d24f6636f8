package io.weft.manager.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * Result of verifying an audit log.
 *
 * @param entriesChecked number of entries that passed every check
 * @param lastIntact     anchor of the last entry that passed, or the start anchor when none
 *                       did. For an intact log this is the anchor to publish.
 * @param firstBroken    the first break, or empty when the whole log is intact
 */
public record AuditVerification(long entriesChecked, AuditAnchor lastIntact, Optional<BrokenLink> firstBroken) {

    public AuditVerification {
        Objects.requireNonNull(lastIntact, "lastIntact");
        Objects.requireNonNull(firstBroken, "firstBroken");
    }

    /** Returns true when no check failed. */
    public boolean isIntact() {
        return firstBroken.isEmpty();
    }
}
