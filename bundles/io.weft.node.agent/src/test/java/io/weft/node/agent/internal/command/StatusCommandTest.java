package io.weft.node.agent.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.node.agent.internal.NodeStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    private static final Instant EXPIRY = Instant.parse("2027-04-01T00:00:00Z");
    private static final Instant SINCE = Instant.parse("2027-03-01T10:00:00Z");

    @Test
    void connectedNodeShowsEverySection() {
        NodeStatus status = new NodeStatus(true, null, "node-7f3a", "n1.plant1.acme.example", "1a2b", EXPIRY,
                "127.0.0.1:7443", SINCE, null, null, 12, 12, List.of("org.example.operator"));

        String output = print(status);

        assertThat(output).isEqualTo("""
                Node:        n1.plant1.acme.example (id node-7f3a)
                Certificate: serial 1a2b, expires 2027-04-01T00:00:00Z
                Manager:     127.0.0.1:7443, connected since 2027-03-01T10:00:00Z
                Revision:    desired 12, applied 12
                Skipped:     org.example.operator (configurations that Weft did not create, left untouched)
                """);
    }

    @Test
    void disconnectedNodeShowsErrorAndRetry() {
        NodeStatus status = new NodeStatus(true, null, "node-7f3a", "n1.plant1.acme.example", "1a2b", EXPIRY,
                "127.0.0.1:7443", null, "connecting to 127.0.0.1:7443 failed: Connection refused",
                Instant.parse("2027-03-01T10:00:05Z"), 12, 11, List.of());

        String output = print(status);

        assertThat(output).contains("Manager:     127.0.0.1:7443, disconnected; last error: connecting to"
                + " 127.0.0.1:7443 failed: Connection refused; next retry at 2027-03-01T10:00:05Z\n");
        assertThat(output).contains("Revision:    desired 12, applied 11\n");
        assertThat(output).endsWith("Skipped:     none\n");
    }

    @Test
    void nodeWithoutIdentityTellsHowToEnroll() {
        NodeStatus status = new NodeStatus(false, null, null, null, null, null, null, null, null, null, 0, 0,
                List.of());

        assertThat(print(status)).isEqualTo("Node:        not enrolled; run 'weft:enroll <token>' with a token from"
                + " the manager\n");
    }

    @Test
    void brokenIdentityShowsProblem() {
        NodeStatus status = new NodeStatus(true, "The identity file /data/weft/identity/node-key.pem is missing.",
                null, null, null, null, null, null, null, null, 0, 0, List.of());

        assertThat(print(status)).isEqualTo("Node:        identity unusable\n"
                + "Problem:     The identity file /data/weft/identity/node-key.pem is missing.\n");
    }

    @Test
    void jsonHasEveryMember() throws Exception {
        NodeStatus status = new NodeStatus(true, null, "node-7f3a", "n1.plant1.acme.example", "1a2b", EXPIRY,
                "127.0.0.1:7443", SINCE, null, null, 12, 11, List.of("a", "b"));

        JsonNode json = new ObjectMapper().readTree(StatusJson.write(status));

        assertThat(json.path("nodeId").asText()).isEqualTo("node-7f3a");
        assertThat(json.path("connected").asBoolean()).isTrue();
        assertThat(json.path("connectedSince").asText()).isEqualTo("2027-03-01T10:00:00Z");
        assertThat(json.path("certificateNotAfter").asText()).isEqualTo("2027-04-01T00:00:00Z");
        assertThat(json.path("lastError").isNull()).isTrue();
        assertThat(json.path("desiredRevision").asLong()).isEqualTo(12);
        assertThat(json.path("appliedRevision").asLong()).isEqualTo(11);
        assertThat(json.path("skippedPids")).hasSize(2);
    }

    private static String print(NodeStatus status) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusCommand.print(status, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
