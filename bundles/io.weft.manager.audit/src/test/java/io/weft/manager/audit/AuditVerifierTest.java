package io.weft.manager.audit;

import static io.weft.manager.audit.AuditLogs.log;
import static io.weft.manager.audit.AuditLogs.rechain;
import static io.weft.manager.audit.AuditLogs.rehashed;
import static io.weft.manager.audit.AuditLogs.withHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.manager.audit.BrokenLink.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditVerifierTest {

    private final List<AuditEntry> entries = log(10);

    @Test
    void intactLogReturnsAnchor() {
        AuditVerification result = AuditVerifier.verify(entries);

        assertThat(result.isIntact()).isTrue();
        assertThat(result.entriesChecked()).isEqualTo(10);
        assertThat(result.lastIntact()).isEqualTo(new AuditAnchor(10, entries.get(9).hash()));
    }

    @Test
    void emptyLogIsIntact() {
        AuditVerification result = AuditVerifier.verify(List.of());

        assertThat(result.isIntact()).isTrue();
        assertThat(result.lastIntact()).isEqualTo(AuditAnchor.GENESIS);
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("time", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(),
                        e.time().plus(Duration.ofNanos(1000)), e.actor(), e.remoteAddress(), e.action(), e.target(),
                        e.before(), e.after(), e.previousHash(), e.hash())),
                Arguments.of("actor", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(), e.time(), "mallory",
                        e.remoteAddress(), e.action(), e.target(), e.before(), e.after(), e.previousHash(), e.hash())),
                Arguments.of("remoteAddress", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(), e.time(),
                        e.actor(), null, e.action(), e.target(), e.before(), e.after(), e.previousHash(), e.hash())),
                Arguments.of("action", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(), e.time(), e.actor(),
                        e.remoteAddress(), "node.read", e.target(), e.before(), e.after(), e.previousHash(), e.hash())),
                Arguments.of("target", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(), e.time(), e.actor(),
                        e.remoteAddress(), e.action(), "gw9.west.acme.example", e.before(), e.after(), e.previousHash(),
                        e.hash())),
                Arguments.of("before", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(), e.time(), e.actor(),
                        e.remoteAddress(), e.action(), e.target(), e.before() + " ", e.after(), e.previousHash(),
                        e.hash())),
                Arguments.of("after", (UnaryOperator<AuditEntry>) e -> new AuditEntry(e.sequence(), e.time(), e.actor(),
                        e.remoteAddress(), e.action(), e.target(), e.before(), null, e.previousHash(), e.hash())),
                Arguments.of("hash", (UnaryOperator<AuditEntry>) e -> withHash(e, "f".repeat(64))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changedFieldDetected(String field, UnaryOperator<AuditEntry> change) {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        AuditEntry changed = change.apply(entries.get(4));
        tampered.set(4, changed);

        AuditVerification result = AuditVerifier.verify(tampered);

        assertBroken(result, 5, Problem.CHANGED_ENTRY, "Entry 5 does not match its hash: a field was changed after"
                + " the entry was appended.");
        assertThat(result.entriesChecked()).isEqualTo(4);
        assertThat(result.lastIntact()).isEqualTo(entries.get(3).anchor());
    }

    @Test
    void changedSequenceDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        AuditEntry fifth = entries.get(4);
        tampered.set(4, new AuditEntry(11, fifth.time(), fifth.actor(), fifth.remoteAddress(), fifth.action(),
                fifth.target(), fifth.before(), fifth.after(), fifth.previousHash(), fifth.hash()));

        assertBroken(AuditVerifier.verify(tampered), 5, Problem.MISSING_ENTRY, "Expected entry 5 but found entry 11:"
                + " entries 5 to 10 were deleted or moved to a later place.");
    }

    @Test
    void changedAndRehashedDetectedAtNext() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        AuditEntry fifth = entries.get(4);
        tampered.set(4, rehashed(new AuditEntry(5, fifth.time(), "mallory", fifth.remoteAddress(), fifth.action(),
                fifth.target(), fifth.before(), fifth.after(), fifth.previousHash(), "")));

        AuditVerification result = AuditVerifier.verify(tampered);

        assertBroken(result, 6, Problem.BROKEN_LINK, "Entry 6 does not link to entry 5: the previous entry was"
                + " replaced, or changed and given a new hash.");
        assertThat(result.lastIntact().sequence()).isEqualTo(5);
    }

    @Test
    void deletedEntryDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        tampered.remove(4);

        assertBroken(AuditVerifier.verify(tampered), 5, Problem.MISSING_ENTRY, "Expected entry 5 but found entry 6:"
                + " entries 5 to 5 were deleted or moved to a later place.");
    }

    @Test
    void deletedFirstEntryDetected() {
        assertBroken(AuditVerifier.verify(entries.subList(1, 10)), 1, Problem.MISSING_ENTRY,
                "Expected entry 1 but found entry 2: entries 1 to 1 were deleted or moved to a later place.");
    }

    @Test
    void deletedAndRenumberedDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries.subList(0, 4));
        tampered.addAll(rechainKeepingLinks(entries.subList(5, 10), 5));

        assertBroken(AuditVerifier.verify(tampered), 5, Problem.BROKEN_LINK, "Entry 5 does not link to entry 4: the"
                + " previous entry was replaced, or changed and given a new hash.");
    }

    @Test
    void reorderedEntriesDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        tampered.set(4, entries.get(5));
        tampered.set(5, entries.get(4));

        assertBroken(AuditVerifier.verify(tampered), 5, Problem.MISSING_ENTRY, "Expected entry 5 but found entry 6:"
                + " entries 5 to 5 were deleted or moved to a later place.");
    }

    @Test
    void swappedContentDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        AuditEntry fifth = entries.get(4);
        AuditEntry sixth = entries.get(5);
        tampered.set(4, new AuditEntry(5, sixth.time(), sixth.actor(), sixth.remoteAddress(), sixth.action(),
                sixth.target(), sixth.before(), sixth.after(), fifth.previousHash(), sixth.hash()));

        assertBroken(AuditVerifier.verify(tampered), 5, Problem.CHANGED_ENTRY, "Entry 5 does not match its hash: a"
                + " field was changed after the entry was appended.");
    }

    @Test
    void repeatedEntryDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        tampered.add(5, entries.get(4));

        assertBroken(AuditVerifier.verify(tampered), 5, Problem.OUT_OF_ORDER, "Entry 5 follows entry 5: it was copied"
                + " or moved to a later place.");
    }

    @Test
    void forgedFirstEntryDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        AuditEntry first = entries.get(0);
        tampered.set(0, rehashed(new AuditEntry(1, first.time(), first.actor(), first.remoteAddress(), first.action(),
                first.target(), first.before(), first.after(), "1".repeat(64), "")));

        assertBroken(AuditVerifier.verify(tampered), 1, Problem.BROKEN_LINK, "Entry 1 does not link to the genesis"
                + " hash: the previous entry was replaced, or changed and given a new hash.");
    }

    @Test
    void invalidFieldDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        AuditEntry third = entries.get(2);
        tampered.set(2, rehashed(new AuditEntry(3, third.time(), third.actor(), third.remoteAddress(), third.action(),
                third.target(), "{not json", third.after(), third.previousHash(), "")));

        AuditVerification result = AuditVerifier.verify(tampered);

        assertThat(result.firstBroken()).get().extracting(BrokenLink::sequence, BrokenLink::problem)
                .containsExactly(3L, Problem.INVALID_ENTRY);
        assertThat(result.firstBroken().get().message()).startsWith("Entry 3 is invalid: the before state is not valid JSON");
    }

    @Test
    void malformedHashDetected() {
        List<AuditEntry> tampered = new ArrayList<>(entries);
        tampered.set(2, withHash(entries.get(2), entries.get(2).hash().toUpperCase()));

        assertBroken(AuditVerifier.verify(tampered), 3, Problem.INVALID_ENTRY, "Entry 3 is invalid: its hash is not 64"
                + " lower-case hexadecimal digits.");
    }

    @Test
    void truncatedTailNeedsAnchor() {
        AuditAnchor published = entries.get(9).anchor();
        List<AuditEntry> truncated = entries.subList(0, 8);

        assertThat(AuditVerifier.verify(truncated).isIntact()).isTrue();

        AuditVerification result = AuditVerifier.verify(truncated, published);
        assertBroken(result, 9, Problem.TRUNCATED, "The log ends at entry 8, but the published anchor names entry 10:"
                + " entries 9 to 10 were removed.");
        assertThat(result.entriesChecked()).isEqualTo(8);
    }

    @Test
    void rewrittenTailNeedsAnchor() {
        AuditAnchor published = entries.get(9).anchor();
        List<AuditEntry> rewritten = new ArrayList<>(entries.subList(0, 7));
        List<AuditEntry> tail = new ArrayList<>(entries.subList(7, 10));
        AuditEntry eighth = tail.get(0);
        tail.set(0, new AuditEntry(8, eighth.time(), "mallory", eighth.remoteAddress(), eighth.action(), eighth.target(),
                eighth.before(), eighth.after(), eighth.previousHash(), eighth.hash()));
        rewritten.addAll(rechain(entries.get(6).anchor(), tail));

        assertThat(AuditVerifier.verify(rewritten).isIntact()).isTrue();
        assertBroken(AuditVerifier.verify(rewritten, published), 10, Problem.ANCHOR_MISMATCH, "Entry 10 has another hash"
                + " than the published anchor: the log was rewritten from this entry or an earlier one on.");
    }

    @Test
    void anchorOfIntactLogPasses() {
        AuditVerification result = AuditVerifier.verify(entries, entries.get(6).anchor());

        assertThat(result.isIntact()).isTrue();
        assertThat(result.entriesChecked()).isEqualTo(10);
    }

    @Test
    void verifyAfterChecksSegment() {
        AuditVerification result = AuditVerifier.verifyAfter(entries.get(4).anchor(), entries.subList(5, 10));

        assertThat(result.isIntact()).isTrue();
        assertThat(result.entriesChecked()).isEqualTo(5);
        assertThat(result.lastIntact()).isEqualTo(entries.get(9).anchor());
    }

    @Test
    void verifyAfterRejectsWrongStart() {
        AuditAnchor wrongStart = new AuditAnchor(5, entries.get(3).hash());

        assertBroken(AuditVerifier.verifyAfter(wrongStart, entries.subList(5, 10)), 6, Problem.BROKEN_LINK,
                "Entry 6 does not link to entry 5: the previous entry was replaced, or changed and given a new hash.");
    }

    @Test
    void anchorParsesItsText() {
        AuditAnchor anchor = entries.get(9).anchor();

        assertThat(AuditAnchor.parse(anchor.toString())).isEqualTo(anchor);
        assertThat(anchor.toString()).isEqualTo("10:" + entries.get(9).hash());
    }

    @Test
    void anchorRejectsMalformedText() {
        for (String text : List.of("", "10", ":" + "a".repeat(64), "x:" + "a".repeat(64), "10:" + "A".repeat(64),
                "10:" + "a".repeat(63), "-1:" + "a".repeat(64))) {
            assertThatThrownBy(() -> AuditAnchor.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("expected the sequence number, ':' and the entry's SHA-256 hash as 64"
                            + " lower-case hexadecimal digits");
        }
    }

    /** Returns the entries renumbered from {@code first}, each linked to and rehashed after the one before. */
    private static List<AuditEntry> rechainKeepingLinks(List<AuditEntry> from, long first) {
        List<AuditEntry> result = new ArrayList<>();
        String previous = from.get(0).previousHash();
        long sequence = first;
        for (AuditEntry e : from) {
            AuditEntry renumbered = rehashed(new AuditEntry(sequence++, e.time(), e.actor(), e.remoteAddress(),
                    e.action(), e.target(), e.before(), e.after(), previous, ""));
            result.add(renumbered);
            previous = renumbered.hash();
        }
        return result;
    }

    private static void assertBroken(AuditVerification result, long sequence, Problem problem, String message) {
        assertThat(result.isIntact()).isFalse();
        BrokenLink broken = result.firstBroken().orElseThrow();
        assertThat(broken.sequence()).isEqualTo(sequence);
        assertThat(broken.problem()).isEqualTo(problem);
        assertThat(broken.message()).isEqualTo(message);
    }
}
