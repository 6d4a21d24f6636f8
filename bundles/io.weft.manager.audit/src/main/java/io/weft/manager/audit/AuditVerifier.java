package io.weft.manager.audit;

import io.weft.manager.audit.BrokenLink.Problem;
import io.weft.manager.audit.internal.EntryRules;
import java.util.Optional;

/**
 * Verifies the hash chain of an audit log in one pass, in constant memory, and reports the
 * first break.
 *
 * <p>The chain detects a changed field, a deleted, copied or moved entry, and a forged entry
 * that does not link to its predecessor. It cannot detect entries cut from the end, nor a
 * tail rewritten from some entry on with fresh hashes, because the result is again a valid
 * chain. Only a comparison with an {@link AuditAnchor} published earlier detects those, so
 * {@link AuditVerification#lastIntact()} returns the anchor to publish.
 */
public final class AuditVerifier {

    private AuditVerifier() {
    }

    /** Verifies a whole log, which starts at sequence number 1, in sequence order. */
    public static AuditVerification verify(Iterable<AuditEntry> entries) {
        return verifyAfter(AuditAnchor.GENESIS, entries);
    }

    /**
     * Verifies a whole log and compares it with an anchor published earlier. The entry at the
     * anchor's sequence number must exist and have the anchor's hash.
     */
    public static AuditVerification verify(Iterable<AuditEntry> entries, AuditAnchor published) {
        return new Pass(AuditAnchor.GENESIS, published).run(entries);
    }

    /**
     * Verifies the entries that follow {@code start}, such as those appended since the last
     * verification, or what remains of a log whose older entries were archived. The first entry
     * must have the sequence number after {@code start} and link to its hash.
     */
    public static AuditVerification verifyAfter(AuditAnchor start, Iterable<AuditEntry> entries) {
        return new Pass(start, null).run(entries);
    }

    /** State of one verification. */
    private static final class Pass {

        private final AuditAnchor published;
        private AuditAnchor last;
        private long checked;

        Pass(AuditAnchor start, AuditAnchor published) {
            this.last = start;
            this.published = published;
        }

        AuditVerification run(Iterable<AuditEntry> entries) {
            for (AuditEntry entry : entries) {
                BrokenLink broken = check(entry);
                if (broken != null) {
                    return result(broken);
                }
                last = entry.anchor();
                checked++;
            }
            if (published != null && last.sequence() < published.sequence()) {
                return result(new BrokenLink(last.sequence() + 1, Problem.TRUNCATED, "The log ends at entry "
                        + last.sequence() + ", but the published anchor names entry " + published.sequence()
                        + ": entries " + (last.sequence() + 1) + " to " + published.sequence() + " were removed."));
            }
            return result(null);
        }

        /** Returns the first problem of the entry, or null when it continues the chain. */
        private BrokenLink check(AuditEntry entry) {
            long expected = last.sequence() + 1;
            long sequence = entry.sequence();
            if (sequence > expected) {
                return new BrokenLink(expected, Problem.MISSING_ENTRY, "Expected entry " + expected + " but found entry "
                        + sequence + ": entries " + expected + " to " + (sequence - 1)
                        + " were deleted or moved to a later place.");
            }
            if (sequence < expected) {
                return new BrokenLink(sequence, Problem.OUT_OF_ORDER, "Entry " + sequence + " follows entry "
                        + last.sequence() + ": it was copied or moved to a later place.");
            }

            String invalid = invalidField(entry);
            if (invalid != null) {
                return new BrokenLink(sequence, Problem.INVALID_ENTRY, "Entry " + sequence + " is invalid: " + invalid + ".");
            }
            if (!AuditHash.compute(entry).equals(entry.hash())) {
                return new BrokenLink(sequence, Problem.CHANGED_ENTRY, "Entry " + sequence + " does not match its hash:"
                        + " a field was changed after the entry was appended.");
            }
            if (!entry.previousHash().equals(last.hash())) {
                return new BrokenLink(sequence, Problem.BROKEN_LINK, "Entry " + sequence + " does not link to "
                        + describePrevious() + ": the previous entry was replaced, or changed and given a new hash.");
            }
            if (published != null && sequence == published.sequence() && !entry.hash().equals(published.hash())) {
                return new BrokenLink(sequence, Problem.ANCHOR_MISMATCH, "Entry " + sequence + " has another hash than"
                        + " the published anchor: the log was rewritten from this entry or an earlier one on.");
            }
            return null;
        }

        private String describePrevious() {
            return last.sequence() == 0 ? "the genesis hash" : "entry " + last.sequence();
        }

        private AuditVerification result(BrokenLink broken) {
            return new AuditVerification(checked, last, Optional.ofNullable(broken));
        }
    }

    /** Returns why the entry could not have been appended, or null when its fields are valid. */
    private static String invalidField(AuditEntry entry) {
        if (!AuditHash.isHash(entry.hash())) {
            return "its hash is not 64 lower-case hexadecimal digits";
        }
        if (!AuditHash.isHash(entry.previousHash())) {
            return "its previous hash is not 64 lower-case hexadecimal digits";
        }
        String[] problems = {
            EntryRules.checkName("actor", entry.actor(), EntryRules.MAX_ACTOR_LENGTH),
            EntryRules.checkOptionalName("remote address", entry.remoteAddress(), EntryRules.MAX_ADDRESS_LENGTH),
            EntryRules.checkAction(entry.action()),
            EntryRules.checkName("target", entry.target(), EntryRules.MAX_TARGET_LENGTH),
            EntryRules.checkJson("before", entry.before()),
            EntryRules.checkJson("after", entry.after()),
        };
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
