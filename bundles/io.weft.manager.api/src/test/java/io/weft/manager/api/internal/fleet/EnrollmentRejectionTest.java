package io.weft.manager.api.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.NotAuthorizedException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.invocation.Invocation;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.Node;
import io.weft.pki.CertificationRequests;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.Fingerprint;
import io.weft.pki.KeyPairs;

/**
 * Rejected enrollments on the real store in embedded Derby: each logs exactly one line that
 * names the node, the token's id and the client's address, never the token's secret.
 */
class EnrollmentRejectionTest {

    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);
    private static final String DOMAIN = "rejections.example";
    private static final String CLIENT = "192.0.2.7";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static NodeService nodes;
    private static ManagerPki pki;
    private static String csr;
    private static int nodeCount;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private Logger log;
    private EnrollmentService enrollment;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
        nodes = new NodeService(derby.store());
        new DomainService(derby.store()).create(ADMIN, DOMAIN, null);
        pki = mock(ManagerPki.class);
        when(pki.enrollmentUrl()).thenReturn("https://127.0.0.1:8443/api/v1/enroll");
        when(pki.controlAddress()).thenReturn("127.0.0.1:7443");
        when(pki.rootFingerprint()).thenReturn(Fingerprint.parse("ab".repeat(32)));
        csr = CertificationRequests.create(KeyPairs.generateNodeKeyPair(RANDOM), "ignored", RANDOM);
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @BeforeEach
    void createService() {
        log = mock(Logger.class);
        enrollment = new EnrollmentService(derby.store(), (ControlStore) derby.store(), pki, derby.auditTrail(), nodes,
                clock, log);
    }

    @Test
    void garbageTokenLogsOneWarning() {
        assertThatThrownBy(() -> enrollment.enroll("weft-enroll-v1.garbage", csr, CLIENT))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("token"));

        assertThat(logLines()).containsExactly("WARN Enrollment: rejected the request for node unknown with token"
                + " unknown from 192.0.2.7: The enrollment token is invalid: its body is not valid JSON, so the"
                + " token may be truncated.");
    }

    @Test
    void missingTokenLogsOneWarning() {
        assertThatThrownBy(() -> enrollment.enroll(null, null, null))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("token"))
                .hasMessageNotContaining("{node}");

        assertThat(logLines()).singleElement().asString()
                .startsWith("WARN Enrollment: rejected the request for node unknown with token unknown from an"
                        + " unknown address: The enrollment token is missing");
    }

    @Test
    void forgedTokenLogsClaimedNodeWithoutSecret() {
        Node node = createNode();
        EnrollmentToken issued = EnrollmentToken.decode(enrollment.createToken(ADMIN, node.fullName(), null).token());
        EnrollmentToken forged = EnrollmentToken.generate(issued.enrollmentUrl(), issued.controlAddress(),
                issued.caFingerprint(), node.id(), issued.expiresAt(), RANDOM);

        assertThatThrownBy(() -> enrollment.enroll(forged.encode(), csr, CLIENT))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("POST /api/v1/nodes/<node>.<domain>/enrollment-tokens")
                .hasMessageNotContaining(node.fullName());

        List<String> lines = logLines();
        assertThat(lines).singleElement().asString()
                .startsWith("WARN Enrollment: rejected the request for node " + node.fullName() + " (id " + node.id()
                        + ") with token unknown from 192.0.2.7: the enrollment token is not valid: unknown");
        assertThat(lines.get(0)).doesNotContain(secret(forged), secret(issued));
    }

    @Test
    void expiredTokenLogsInfoAndNamesNode() {
        Node node = createNode();
        EnrollmentService.IssuedToken token = enrollment.createToken(ADMIN, node.fullName(), 300L);
        clock.advance(Duration.ofSeconds(300));

        assertThatThrownBy(() -> enrollment.enroll(token.token(), csr, CLIENT))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(410))
                .hasMessageContaining("POST /api/v1/nodes/" + node.fullName() + "/enrollment-tokens")
                .hasMessageNotContaining("{node}");

        List<String> lines = logLines();
        assertThat(lines).singleElement().asString()
                .startsWith("INFO Enrollment: rejected the request for node " + node.fullName() + " (id " + node.id()
                        + ") with token " + token.stored().id() + " from 192.0.2.7: the enrollment token "
                        + token.stored().id() + " expired at");
        assertThat(lines.get(0)).doesNotContain(secret(EnrollmentToken.decode(token.token())));
    }

    @Test
    void usedTokenLogsInfoAndNamesNode() {
        Node node = createNode();
        EnrollmentService.IssuedToken token = enrollment.createToken(ADMIN, node.fullName(), null);
        ((ControlStore) derby.store()).useEnrollmentToken(token.stored().id(), clock.instant());

        assertThatThrownBy(() -> enrollment.enroll(token.token(), csr, CLIENT))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("weft:enrollment-token " + node.fullName())
                .hasMessageNotContaining("{node}");

        assertThat(logLines()).containsExactly("INFO Enrollment: rejected the request for node " + node.fullName()
                + " (id " + node.id() + ") with token " + token.stored().id() + " from 192.0.2.7: the enrollment token "
                + token.stored().id() + " was already used; create a new one with POST /api/v1/nodes/"
                + node.fullName() + "/enrollment-tokens or weft:enrollment-token " + node.fullName());
    }

    @Test
    void invalidCsrLogsWarningAndKeepsToken() {
        Node node = createNode();
        EnrollmentService.IssuedToken token = enrollment.createToken(ADMIN, node.fullName(), null);

        assertThatThrownBy(() -> enrollment.enroll(token.token(), "not a request", CLIENT))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("csr"));

        assertThat(logLines()).singleElement().asString()
                .startsWith("WARN Enrollment: rejected the request for node " + node.fullName() + " (id " + node.id()
                        + ") with token " + token.stored().id() + " from 192.0.2.7: ");
        assertThat(enrollment.listTokens(ADMIN, node.fullName())).singleElement()
                .satisfies(stored -> assertThat(stored.usedAt()).as("usedAt of the token").isEmpty());
    }

    @Test
    void revokedNodeLogsInfo() {
        Node node = createNode();
        EnrollmentService.IssuedToken token = enrollment.createToken(ADMIN, node.fullName(), null);
        enrollment.revoke(ADMIN, node.fullName(), null);
        clearInvocations(log);

        assertThatThrownBy(() -> enrollment.enroll(token.token(), csr, CLIENT))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageStartingWith("node '" + node.fullName() + "' is revoked, which is final");

        assertThat(logLines()).singleElement().asString()
                .startsWith("INFO Enrollment: rejected the request for node " + node.fullName() + " (id " + node.id()
                        + ") with token " + token.stored().id() + " from 192.0.2.7: node '" + node.fullName()
                        + "' is revoked");
    }

    @Test
    void reasonWithLineBreaksStaysOnOneLine() {
        String token = EnrollmentToken.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"a\\nb\":1}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> enrollment.enroll(token, csr, CLIENT)).isInstanceOf(InvalidFieldException.class);

        assertThat(logLines()).singleElement().asString()
                .contains("unknown member 'a?b'")
                .doesNotContain("\n");
    }

    private static Node createNode() {
        nodeCount++;
        return nodes.create(ADMIN, "n" + nodeCount, DOMAIN, new NodeChange("edge", List.of(), null, null));
    }

    private static String secret(EnrollmentToken token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.secret());
    }

    /** Returns every call of the logger as its level and the message that SLF4J would write. */
    private List<String> logLines() {
        List<String> lines = new ArrayList<>();
        for (Invocation call : mockingDetails(log).getInvocations()) {
            Object[] arguments = call.getArguments();
            String message = MessageFormatter.arrayFormat((String) arguments[0],
                    Arrays.copyOfRange(arguments, 1, arguments.length)).getMessage();
            lines.add(call.getMethod().getName().toUpperCase(Locale.ROOT) + " " + message);
        }
        return lines;
    }

    /** A clock that tests move forward by hand. */
    private static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the tests use UTC only");
        }
    }
}
