package io.weft.manager.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditChainTest {

    /**
     * Hash of the first entry in {@link #hashIsStable}, computed separately from the definition
     * in {@link AuditHash} with Python's struct and hashlib modules.
     */
    private static final String PINNED_HASH = "414713a46d38a4cb44e56d30a4676307a19750c77210f1ed032ae056b3711990";

    private static final AuditEvent CREATE = new AuditEvent("alice", "192.0.2.1", "node.create", "gw1.east.acme.example",
            null, "{\"name\":\"gw1\"}");

    @Test
    void appendStartsAtGenesis() {
        AuditEntry first = AuditChain.append(AuditAnchor.GENESIS, Instant.parse("2026-03-01T10:00:00Z"), CREATE);

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.previousHash()).isEqualTo("0".repeat(64));
        assertThat(first.hash()).isEqualTo(AuditHash.compute(first)).matches("[0-9a-f]{64}");
        assertThat(first.actor()).isEqualTo("alice");
        assertThat(first.before()).isNull();
    }

    @Test
    void appendLinksToHead() {
        AuditEntry first = AuditChain.append(AuditAnchor.GENESIS, Instant.parse("2026-03-01T10:00:00Z"), CREATE);

        AuditEntry second = AuditChain.append(first.anchor(), Instant.parse("2026-03-01T09:00:00Z"), CREATE);

        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.previousHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isNotEqualTo(first.hash());
    }

    @Test
    void appendTruncatesToMicroseconds() {
        AuditEntry entry = AuditChain.append(AuditAnchor.GENESIS, Instant.parse("2026-03-01T10:00:00.123456789Z"), CREATE);

        assertThat(entry.time()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
    }

    @Test
    void appendRejectsMalformedHead() {
        assertThatThrownBy(() -> AuditChain.append(new AuditAnchor(3, "abc"), Instant.EPOCH, CREATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid head hash: expected 64 lower-case hexadecimal digits of SHA-256");
    }

    @Test
    void encodingFollowsDefinition() throws IOException {
        AuditEntry entry = new AuditEntry(7, Instant.ofEpochSecond(1_772_359_200L, 123_456_000), "alice", null,
                "node.update", "gw1.east.acme.example", "{\"a\":1}", "{\"a\":\"\u00e9\"}", "0".repeat(64), "ignored");

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        writeString(out, "weft-audit-v1");
        out.writeLong(7);
        out.writeLong(1_772_359_200L);
        out.writeInt(123_456_000);
        writeString(out, "alice");
        out.writeInt(-1);
        writeString(out, "node.update");
        writeString(out, "gw1.east.acme.example");
        writeString(out, "{\"a\":1}");
        writeString(out, "{\"a\":\"\u00e9\"}");
        writeString(out, "0".repeat(64));

        assertThat(AuditHash.canonicalEncoding(entry)).isEqualTo(expected.toByteArray());
    }

    /** Pins the hash of one entry, so that a change of the encoding cannot go unnoticed. */
    @Test
    void hashIsStable() {
        AuditEntry entry = AuditChain.append(AuditAnchor.GENESIS, Instant.parse("2026-03-01T10:00:00.123456Z"), CREATE);

        assertThat(entry.hash()).isEqualTo(PINNED_HASH);
    }

    @Test
    void encodingSeparatesNullFromEmpty() {
        AuditEntry withNull = entry("alice", "gw1", null);
        AuditEntry withEmpty = entry("alice", "gw1", "");

        assertThat(AuditHash.compute(withNull)).isNotEqualTo(AuditHash.compute(withEmpty));
    }

    @Test
    void encodingSeparatesFieldBoundaries() {
        AuditEntry first = entry("ab", "c", null);
        AuditEntry second = entry("a", "bc", null);

        assertThat(AuditHash.compute(first)).isNotEqualTo(AuditHash.compute(second));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''          | 192.0.2.1 | node.create | gw1 | the actor is missing",
        "alice       | ''        | node.create | gw1 | the remote address is missing",
        "alice       | 192.0.2.1 | Node.Create | gw1 | the action 'Node.Create' is not made of lower-case words joined by dots, such as 'node.update'",
        "alice       | 192.0.2.1 | node..create| gw1 | the action 'node..create' is not made of lower-case words",
        "alice       | 192.0.2.1 | node.create | ''  | the target is missing",
    })
    void eventRejectsInvalidField(String actor, String address, String action, String target, String reason) {
        assertThatThrownBy(() -> new AuditEvent(actor, address, action, target, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid audit event: " + reason);
    }

    @Test
    void eventRejectsControlCharacter() {
        assertThatThrownBy(() -> new AuditEvent("alice\nforged line", null, "node.create", "gw1", null, null))
                .hasMessage("Invalid audit event: the actor contains a control character at position 6.");
    }

    @Test
    void eventRejectsLongTarget() {
        assertThatThrownBy(() -> new AuditEvent("alice", null, "node.create", "t".repeat(513), null, null))
                .hasMessage("Invalid audit event: the target has 513 characters, more than the maximum of 512.");
    }

    @Test
    void eventRejectsNulCharacter() {
        assertThatThrownBy(() -> new AuditEvent("alice", null, "node.create", "gw1", null, "\"a\u0000b\""))
                .hasMessage("Invalid audit event: the after state contains the character U+0000 at position 3.");
    }

    @Test
    void eventRejectsUnpairedSurrogate() {
        assertThatThrownBy(() -> new AuditEvent("ali\ud800ce", null, "node.create", "gw1", null, null))
                .hasMessage("Invalid audit event: the actor contains an unpaired UTF-16 surrogate at position 4.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":                | the before state is not valid JSON",
        "{\"a\":1} {\"b\":2}    | the before state has content after its JSON value",
        "{'a':1}                | the before state is not valid JSON",
        "'   '                  | the before state is empty; use null for no state",
    })
    void eventRejectsInvalidJson(String before, String reason) {
        assertThatThrownBy(() -> new AuditEvent("alice", null, "node.update", "gw1", before, null))
                .hasMessageStartingWith("Invalid audit event: " + reason);
    }

    @Test
    void eventAcceptsAnyJsonValue() {
        for (String state : List.of("{}", "[1,2]", "\"text\"", "42", "null", " {\"a\" : [true, null]}\n")) {
            assertThat(new AuditEvent("alice", null, "profile.update", "east.acme.example", state, state).after())
                    .isEqualTo(state);
        }
    }

    @Test
    void eventRejectsOversizedState() {
        String state = "\"" + "x".repeat(AuditEvent.MAX_STATE_LENGTH - 1) + "\"";

        assertThatThrownBy(() -> new AuditEvent("alice", null, "node.update", "gw1", null, state))
                .hasMessage("Invalid audit event: the after state has 1048577 characters, more than the maximum"
                        + " of 1048576.");
    }

    private static AuditEntry entry(String actor, String target, String before) {
        return new AuditEntry(1, Instant.EPOCH, actor, null, "node.create", target, before, null, "0".repeat(64), "");
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
