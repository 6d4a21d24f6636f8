package io.weft.manager.audit;

import java.util.Objects;

/**
 * First place where an audit log fails verification.
 *
 * @param sequence the sequence number where the chain breaks: the first missing number for
 *                 {@link Problem#MISSING_ENTRY} and {@link Problem#TRUNCATED}, otherwise the
 *                 entry that failed a check
 * @param problem  what is wrong
 * @param message  a sentence that names the entries involved
 */
public record BrokenLink(long sequence, Problem problem, String message) {

    /** Kind of break, in the order in which the verifier checks each entry. */
    public enum Problem {
        /**
         * An entry has a higher sequence number than the next one expected: entries were
         * deleted, or moved to a later place.
         */
        MISSING_ENTRY,
        /** An entry has a sequence number that the log already passed: it was copied or moved back. */
        OUT_OF_ORDER,
        /** An entry has a field that no appended entry can have, such as a malformed hash. */
        INVALID_ENTRY,
        /** An entry's hash does not match its fields: a field was changed after the entry was appended. */
        CHANGED_ENTRY,
        /**
         * An entry's previous hash is not the hash of the entry before it: that entry was
         * replaced, or changed and given a new hash.
         */
        BROKEN_LINK,
        /** The entry at a published anchor's sequence number has another hash than the anchor. */
        ANCHOR_MISMATCH,
        /** The log ends before a published anchor's sequence number: entries were cut from the end. */
        TRUNCATED
    }

    public BrokenLink {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(message, "message");
    }
}
