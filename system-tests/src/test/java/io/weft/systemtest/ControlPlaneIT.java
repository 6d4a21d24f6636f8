package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The management plane on the real distributions: a node enrolls with a token through
 * {@code weft:enroll}, connects to the control port, applies its signed desired state into
 * ConfigurationAdmin, keeps and reapplies it while the manager is down, and is disconnected
 * and refused once revoked. openssl checks that the control port completes no handshake
 * without a client certificate and none with TLS 1.1.
 *
 * <p>The tests share one manager and one node and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class ControlPlaneIT {

    private static final String NODE = "n1.east.cp.example";
    private static final String PID = "io.weft.systemtest.greeting";
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(30);
    /** The node's reconnect backoff is capped at 30 s, with jitter, and the manager needs some seconds to start. */
    private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(90);

    private WeftInstallation manager;
    private WeftInstallation node;
    private ManagerApi api;

    @BeforeAll
    void startAndEnroll(WeftInstallations installations) {
        manager = installations.start(Distribution.MANAGER);
        node = installations.start(Distribution.NODE);
        api = new ManagerApi(manager);
        api.expect(201, api.post("/domains", "{\"name\": \"cp.example\"}"));
        api.expect(201, api.post("/domains", "{\"name\": \"east.cp.example\"}"));
        api.expect(201, api.post("/nodes", "{\"name\": \"n1\", \"domain\": \"east.cp.example\", \"role\": \"edge\"}"));
        String token = api.expect(201, api.post("/nodes/" + NODE + "/enrollment-tokens", "{}")).path("token").asText();

        ShellResult enrolled = node.shell().execute("weft:enroll " + token);

        assertThat(enrolled.exitStatus()).as("weft:enroll: %s %s", enrolled.output(), enrolled.error()).isZero();
        assertThat(enrolled.output()).contains(NODE);
    }

    @Test
    @Order(1)
    void enrolledNodeConnectsAndAppliesState() {
        awaitTrue("node online with its desired state applied", STATE_TIMEOUT, this::applied);

        JsonNode listed = api.expect(200, api.get("/nodes?domain=cp.example")).path("items").path(0);
        assertThat(listed.path("state").asText()).isEqualTo("enrolled");
        assertThat(listed.path("online").asBoolean()).as("online in the listing").isTrue();
        assertThat(listed.path("appliedRevision").asLong()).isEqualTo(listed.path("desiredRevision").asLong());
        String status = node.shell().execute("weft:status").requireSuccess().output();
        assertThat(status).contains(NODE);
    }

    @Test
    @Order(2)
    void domainProfileChangeReachesNodeConfiguration() {
        api.expect(201, api.put("/domains/cp.example/profile", null, "{\"pids\": {\"" + PID + "\": {\"greeting\":"
                + " {\"type\": \"string\", \"value\": \"hello from the root\"}}}}"));

        awaitTrue("greeting in the node's ConfigurationAdmin", STATE_TIMEOUT,
                () -> nodeProperty("greeting").contains("hello from the root"));
        awaitTrue("revision applied", STATE_TIMEOUT, this::applied);
    }

    @Test
    @Order(3)
    void controlPortRejectsClientsWithoutCertificate() throws Exception {
        String withoutCertificate = openssl("-tls1_3", "-ign_eof");
        String tls11 = openssl("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");

        assertThat(withoutCertificate).as("openssl s_client without a client certificate")
                .containsAnyOf("alert certificate required", "alert bad certificate");
        assertThat(tls11).as("openssl s_client with TLS 1.1").contains("alert protocol version");
    }

    @Test
    @Order(4)
    void nodeKeepsStateWhileManagerIsDown() {
        manager.stop();
        node.restart();

        assertThat(nodeProperty("greeting")).as("configuration after a restart without manager")
                .contains("hello from the root");

        manager.start();
        awaitTrue("node back online after the manager returned", RECONNECT_TIMEOUT, this::applied);
    }

    @Test
    @Order(5)
    void revokedNodeIsDisconnectedAndRefused() {
        api.expect(200, api.post("/nodes/" + NODE + "/revoke", "{\"reason\": \"key_compromise\"}"));

        awaitTrue("revoked node offline", STATE_TIMEOUT, () -> !nodeJson().path("online").asBoolean());
        awaitTrue("node reports the refused connection", STATE_TIMEOUT, () -> node.shell().execute("weft:status")
                .output().toLowerCase().matches("(?s).*(revoked|refused|handshake|closed|certificate).*"));
        assertThat(nodeJson().path("state").asText()).isEqualTo("revoked");
        assertThat(nodeJson().path("online").asBoolean()).as("still offline after the node retried").isFalse();
    }

    private boolean applied() {
        JsonNode state = nodeJson();
        return state.path("online").asBoolean() && state.path("appliedRevision").asLong() > 0
                && state.path("appliedRevision").asLong() == state.path("desiredRevision").asLong();
    }

    private JsonNode nodeJson() {
        return api.expect(200, api.get("/nodes/" + NODE));
    }

    private String nodeProperty(String key) {
        ShellResult result = node.shell().execute("config:property-get --pid " + PID + " " + key);
        return result.output();
    }

    /** Runs openssl s_client against the control port with the given options and returns what it printed. */
    private String openssl(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + manager.controlPort(), "-CAfile",
                manager.home().resolve("data/weft/ca/root-ca.pem").toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish within 30 s: " + command);
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }
}
