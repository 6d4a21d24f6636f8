package io.weft.manager.audit;

import static io.weft.manager.audit.AuditLogs.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.weft.manager.audit.BrokenLink.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditJsonLinesTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);
    private static final String LINE = "{\"sequence\":1,\"time\":\"2026-03-01T10:00:00.123456Z\",\"actor\":\"alice\","
            + "\"remoteAddress\":null,\"action\":\"node.create\",\"target\":\"gw1.east.acme.example\",\"before\":null,"
            + "\"after\":\"{\\\"name\\\":\\\"gw1\\\"}\",\"previousHash\":\"" + HASH_A + "\",\"hash\":\"" + HASH_B + "\"}";

    @Test
    void roundTripKeepsEveryEntry() throws IOException {
        List<AuditEntry> entries = new ArrayList<>(log(20));
        AuditEvent awkward = new AuditEvent("\u00e9lise \u2028 \ud83d\udd11", "2001:db8::1", "profile.update",
                "plant1.east.acme.example", "{\n  \"quote\": \"\\\"\",\n  \"tab\": \"\\t\"\n}", "\"line\\nbreak\"");
        entries.add(AuditChain.append(entries.get(19).anchor(), Instant.parse("2026-03-02T00:00:00.000001Z"), awkward));
        StringWriter export = new StringWriter();

        AuditJsonLines.write(entries, export);
        List<AuditEntry> imported = new ArrayList<>();
        AuditJsonLines.read(new StringReader(export.toString())).forEach(imported::add);

        assertThat(export.toString().split("\n", -1)).hasSize(22);
        assertThat(imported).isEqualTo(entries);
        assertThat(AuditVerifier.verify(imported).isIntact()).isTrue();
    }

    @Test
    void verifyReadsExportLazily() throws IOException {
        List<AuditEntry> entries = log(5);
        StringWriter export = new StringWriter();
        AuditJsonLines.write(entries, export);
        String tampered = export.toString().replace("\"actor\":\"alice\",\"remoteAddress\":\"192.0.2.3\"",
                "\"actor\":\"mallory\",\"remoteAddress\":\"192.0.2.3\"");

        AuditVerification result = AuditVerifier.verify(AuditJsonLines.read(new StringReader(tampered)));

        assertThat(result.firstBroken()).get().extracting(BrokenLink::sequence, BrokenLink::problem)
                .containsExactly(3L, Problem.CHANGED_ENTRY);
    }

    @Test
    void toLineWritesMembersInOrder() {
        AuditEntry entry = new AuditEntry(1, Instant.parse("2026-03-01T10:00:00.123456Z"), "alice", null, "node.create",
                "gw1.east.acme.example", null, "{\"name\":\"gw1\"}", HASH_A, HASH_B);

        assertThat(AuditJsonLines.toLine(entry)).isEqualTo(LINE);
        assertThat(AuditJsonLines.parseLine(LINE, 1)).isEqualTo(entry);
    }

    @Test
    void readAcceptsMissingFinalLineBreak() {
        List<AuditEntry> imported = new ArrayList<>();

        AuditJsonLines.read(new StringReader(LINE + "\n" + LINE.replace("\"sequence\":1", "\"sequence\":2")))
                .forEach(imported::add);

        assertThat(imported).extracting(AuditEntry::sequence).containsExactly(1L, 2L);
    }

    @Test
    void readOfEmptyInputIsEmpty() {
        assertThat(AuditJsonLines.read(new StringReader(""))).isEmpty();
    }

    @Test
    void readNamesLineOfEmptyLine() {
        Iterable<AuditEntry> entries = AuditJsonLines.read(new StringReader(LINE + "\n\n" + LINE + "\n"));

        InvalidAuditLineException rejected = catchThrowableOfType(InvalidAuditLineException.class,
                () -> entries.forEach(entry -> { }));

        assertThat(rejected.lineNumber()).isEqualTo(2);
        assertThat(rejected).hasMessage("Line 2 of the audit export: the line is empty.");
    }

    @Test
    void readRejectsOverlongLine() {
        String line = "{\"actor\":\"" + "x".repeat(AuditJsonLines.MAX_LINE_LENGTH) + "\"}";
        Iterable<AuditEntry> entries = AuditJsonLines.read(new StringReader(LINE + "\n" + line + "\n"));

        assertThatThrownBy(() -> entries.forEach(entry -> { }))
                .isInstanceOf(InvalidAuditLineException.class)
                .hasMessage("Line 2 of the audit export: the line is longer than the maximum of 4259840 characters.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"sequence\":1                       | \"sequence\":1,\"extra\":true  | unknown member 'extra'. The members are sequence, time, actor",
        ",\"hash\":\"bbbb                     | ,\"hashes\":\"bbbb             | unknown member 'hashes'",
        "\"sequence\":1,                      | ''                             | the member 'sequence' is missing.",
        "\"sequence\":1                       | \"sequence\":\"1\"             | the member 'sequence' is not an integer of at most 19 digits.",
        "\"sequence\":1                       | \"sequence\":1.5               | the member 'sequence' is not an integer of at most 19 digits.",
        "\"sequence\":1                       | \"sequence\":99999999999999999999 | the member 'sequence' is not an integer of at most 19 digits.",
        "\"actor\":\"alice\"                  | \"actor\":null                 | the member 'actor' is null.",
        "\"actor\":\"alice\"                  | \"actor\":7                    | the member 'actor' is not a string or null.",
        "\"before\":null                      | \"before\":{}                  | the member 'before' is not a string or null.",
        "2026-03-01T10:00:00.123456Z          | yesterday                      | the member 'time' is not an ISO-8601 UTC time",
        "\"sequence\":1                       | \"sequence\":1,\"sequence\":2  | not valid JSON: Duplicate field 'sequence'",
    })
    void parseLineRejects(String original, String replacement, String reason) {
        String line = LINE.replace(original, replacement);

        assertThatThrownBy(() -> AuditJsonLines.parseLine(line, 7))
                .isInstanceOf(InvalidAuditLineException.class)
                .hasMessageStartingWith("Line 7 of the audit export: " + reason);
    }

    @Test
    void parseLineRejectsArray() {
        assertThatThrownBy(() -> AuditJsonLines.parseLine("[1,2]", 3))
                .hasMessage("Line 3 of the audit export: expected a JSON object.");
    }

    @Test
    void parseLineRejectsTrailingContent() {
        assertThatThrownBy(() -> AuditJsonLines.parseLine(LINE + " {}", 3))
                .hasMessage("Line 3 of the audit export: content follows the JSON object.");
    }

    @Test
    void parseLineRejectsTruncatedJson() {
        assertThatThrownBy(() -> AuditJsonLines.parseLine(LINE.substring(0, 40), 3))
                .hasMessageStartingWith("Line 3 of the audit export: not valid JSON: ");
    }
}
