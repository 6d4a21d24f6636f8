package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.EnrollmentToken;
import io.weft.pki.Fingerprint;
import io.weft.pki.KeyPairs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollerTest {

    private static TestPki pki;
    private static TestPki otherPki;

    private EnrollmentServer manager;
    private Enroller enroller;

    @BeforeAll
    static void createCas(@TempDir Path caDirectory) throws IOException {
        pki = TestPki.create(caDirectory.resolve("ca"));
        otherPki = TestPki.create(caDirectory.resolve("other-ca"));
    }

    @BeforeEach
    void startManager() throws IOException {
        manager = new EnrollmentServer(pki);
        enroller = new Enroller(new EnrollmentClient(Clock.systemUTC(), TestPki.RANDOM), Clock.systemUTC(),
                TestPki.RANDOM);
    }

    @AfterEach
    void stopManager() {
        manager.close();
    }

    @Test
    void enrollmentReturnsVerifiedIdentity() throws EnrollmentException {
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        NodeIdentity identity = enroller.enroll(token);

        assertThat(identity.record()).isEqualTo(new IdentityRecord(TestPki.NODE_ID, TestPki.NODE_NAME,
                "127.0.0.1:7443", manager.url(), pki.ca.rootFingerprint()));
        assertThat(identity.chain()).hasSize(3).endsWith(pki.ca.rootCertificate());
        assertThat(Certificates.keyMatches(identity.key(), identity.certificate())).isTrue();
        assertThat(manager.requests).singleElement().satisfies(request -> {
            assertThat(request.path("token").asText()).isEqualTo(token);
            assertThat(request.path("csr").asText()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        });
    }

    @Test
    void malformedTokenIsRejectedWithoutContact() {
        assertThatThrownBy(() -> enroller.enroll("weft-enroll-v1.not-base64!"))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageStartingWith("The enrollment token is invalid:")
                .hasMessageEndingWith("Create a new token on the manager and copy all of it.");
        assertThat(manager.requests).isEmpty();
    }

    @Test
    void tokenWithoutPrefixIsRejected() {
        assertThatThrownBy(() -> enroller.enroll("eyJhIjoxfQ"))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("does not start with 'weft-enroll-v1.'");
    }

    @Test
    void expiredTokenIsRejectedWithoutContact() {
        Instant expiry = Instant.now().minusSeconds(60);
        String token = token(pki.ca.rootFingerprint(), expiry);

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessage("The enrollment token for node 'node-7f3a' expired at " + expiry
                        + ". Create a new token on the manager.");
        assertThat(manager.requests).isEmpty();
    }

    @Test
    void managerOfAnotherCaIsRejected() {
        String token = token(otherPki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining("is not the manager that the token names")
                .hasMessageContaining(otherPki.ca.rootFingerprint().toString());
        assertThat(manager.requests).isEmpty();
    }

    @Test
    void managerErrorMessageIsShown() {
        manager.errorStatus = 409;
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessage("The manager rejected the enrollment (HTTP 409, token-used): The enrollment token was"
                        + " already used. Create a new token.");
    }

    @Test
    void serverErrorIsRetryable() {
        manager.errorStatus = 503;
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isTrue());
    }

    @Test
    void unreachableManagerIsRetryable() {
        manager.close();
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isTrue())
                .hasMessageStartingWith("Connecting to the manager at " + manager.url() + " failed");
    }

    @Test
    void certificateForAnotherNodeIsRejected() {
        manager.issuedNodeId = "node-other";
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("carries the node id 'node-other', but this node's id is 'node-7f3a'");
    }

    @Test
    void certificateForAnotherKeyIsRejected() {
        manager.substituteKey = KeyPairs.generateNodeKeyPair(TestPki.RANDOM).getPublic();
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("certifies another public key than the one this node generated");
    }

    @Test
    void invalidControlAddressIsRejected() {
        manager.controlAddress = "manager-without-port";
        String token = token(pki.ca.rootFingerprint(), Instant.now().plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> enroller.enroll(token))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("the control address 'manager-without-port' is not host:port");
    }

    private String token(Fingerprint fingerprint, Instant expiresAt) {
        URI url = manager.url();
        return EnrollmentToken.generate(url, "127.0.0.1:7443", fingerprint, TestPki.NODE_ID, expiresAt,
                TestPki.RANDOM).encode();
    }
}
