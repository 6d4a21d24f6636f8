package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.pki.CertificationRequests;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyPurpose;
import io.weft.pki.KeyType;
import io.weft.pki.Pem;
import io.weft.pki.RevocationList;
import io.weft.pki.TrustVerifier;
import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * Enrollment against the real manager distribution: tokens, the exchange of a token and a
 * certificate signing request for a certificate chain, the rejection of reused, forged and
 * malformed input, and revocation into the published CRL, also of a deleted node's certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WeftSystemTestExtension.class)
class ManagerEnrollmentIT {

    private final SecureRandom random = new SecureRandom();
    private WeftInstallation manager;
    private ManagerApi api;

    @BeforeAll
    void startManager(WeftInstallations installations) {
        manager = installations.start(Distribution.MANAGER);
        api = new ManagerApi(manager);
        api.expect(201, api.post("/domains", "{\"name\": \"enroll.example\"}"));
    }

    @Test
    void nodeEnrollsOnceAndGetsItsChain() throws Exception {
        createNode("e1");
        String token = createToken("e1");
        KeyPair key = KeyPairs.generateNodeKeyPair(random);

        JsonNode enrolled = api.expect(200, enroll(token, CertificationRequests.create(key, "ignored", random)));
        HttpResponse<String> again = enroll(token, CertificationRequests.create(key, "ignored", random));

        List<X509Certificate> chain = chain(enrolled);
        X509Certificate root = rootCertificate();
        assertThat(enrolled.path("nodeName").asText()).isEqualTo("e1.enroll.example");
        assertThat(chain.get(0).getPublicKey()).isEqualTo(key.getPublic());
        List<String> names = chain.get(0).getSubjectAlternativeNames().stream().map(name -> name.get(1).toString())
                .toList();
        assertThat(names).contains("e1.enroll.example", "urn:weft:node:" + enrolled.path("nodeId").asText());
        new TrustVerifier(root, Set::of, Clock.systemUTC()).verify(chain, KeyPurpose.TLS_CLIENT);
        assertThat(EnrollmentToken.decode(token).caFingerprint().matches(root)).as("fingerprint in the token").isTrue();
        assertThat(again.statusCode()).as("status of a second use: %s", again.body()).isEqualTo(409);
        assertThat(api.expect(200, api.get("/nodes/e1.enroll.example")).path("state").asText()).isEqualTo("enrolled");
        assertThat(auditActions()).contains("node.enrollment-token-create", "node.enroll");
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(EnrollmentToken.decode(token).secret());
        assertThat(api.get("/audit?limit=200").body()).as("audit log").doesNotContain(secret).doesNotContain(token);
    }

    @Test
    void badEnrollmentsAreRejectedWithReason() {
        createNode("e2");
        String token = createToken("e2");
        EnrollmentToken decoded = EnrollmentToken.decode(token);
        EnrollmentToken forged = EnrollmentToken.generate(decoded.enrollmentUrl(), decoded.controlAddress(),
                decoded.caFingerprint(), decoded.nodeId(), decoded.expiresAt(), random);
        String csr = CertificationRequests.create(KeyPairs.generateNodeKeyPair(random), "n", random);
        String otherKeyCsr = CertificationRequests.create(KeyPairs.generate(KeyType.EC_P384, random), "n", random);

        assertRejected(enroll("weft-enroll-v1.garbage", csr), 400, "token");
        assertRejected(enroll(forged.encode(), csr), 401, null);
        assertRejected(enroll(token, otherKeyCsr), 400, "csr");
        assertRejected(enroll(token, tamper(csr)), 400, "csr");
        assertRejected(api.post("/nodes/e2.enroll.example/enrollment-tokens", "{\"expiresInSeconds\": 60}"), 400,
                "expiresInSeconds");

        JsonNode enrolled = api.expect(200, enroll(token, csr));
        assertThat(enrolled.path("nodeName").asText()).as("the token still works after the rejected attempts")
                .isEqualTo("e2.enroll.example");
    }

    @Test
    void revocationPublishesSerialInCrl() throws Exception {
        createNode("e3");
        JsonNode enrolled = api.expect(200, enroll(createToken("e3"),
                CertificationRequests.create(KeyPairs.generateNodeKeyPair(random), "n", random)));
        BigInteger serial = chain(enrolled).get(0).getSerialNumber();
        String unusedToken = createToken("e3");

        JsonNode revoked = api.expect(200, api.post("/nodes/e3.enroll.example/revoke", "{\"reason\": \"key_compromise\"}"));
        HttpResponse<String> crl = api.getPem("/pki/crl");

        assertThat(revoked.path("state").asText()).isEqualTo("revoked");
        RevocationList list = RevocationList.parse(crl.body().getBytes(StandardCharsets.US_ASCII),
                chain(enrolled).get(1));
        assertThat(list.serials()).contains(serial);
        assertRejected(api.post("/nodes/e3.enroll.example/revoke", "{\"reason\": \"because\"}"), 400, "reason");
        assertRejected(enroll(unusedToken, CertificationRequests.create(KeyPairs.generateNodeKeyPair(random), "n",
                random)), 409, null);
        assertRejected(api.post("/nodes/e3.enroll.example/enrollment-tokens", "{}"), 409, null);
        assertThat(api.expect(200, api.get("/nodes/e3.enroll.example")).path("state").asText())
                .as("state after the attempts to come back").isEqualTo("revoked");
    }

    @Test
    void deletingANodeRevokesItsCertificate() throws Exception {
        createNode("e4");
        JsonNode enrolled = api.expect(200, enroll(createToken("e4"),
                CertificationRequests.create(KeyPairs.generateNodeKeyPair(random), "n", random)));
        BigInteger serial = chain(enrolled).get(0).getSerialNumber();

        HttpResponse<String> deleted = api.delete("/nodes/e4.enroll.example", "*");
        RevocationList list = RevocationList.parse(api.getPem("/pki/crl").body().getBytes(StandardCharsets.US_ASCII),
                chain(enrolled).get(1));

        assertThat(deleted.statusCode()).as("status of the deletion: %s", deleted.body()).isEqualTo(204);
        assertThat(list.serials()).as("serials in the CRL after the deletion").contains(serial);
        assertThat(auditActions()).contains("node.delete", "node.revoke");
        assertThat(api.get("/nodes/e4.enroll.example").statusCode()).isEqualTo(404);
    }

    private void createNode(String name) {
        api.expect(201, api.post("/nodes", "{\"name\": \"" + name + "\", \"domain\": \"enroll.example\", \"role\": \"edge\"}"));
    }

    private String createToken(String node) {
        return api.expect(201, api.post("/nodes/" + node + ".enroll.example/enrollment-tokens", "{}")).path("token")
                .asText();
    }

    private HttpResponse<String> enroll(String token, String csr) {
        return api.postAnonymous("/enroll", "{\"token\": " + ManagerApi.quote(token) + ", \"csr\": "
                + ManagerApi.quote(csr) + "}");
    }

    private List<String> auditActions() {
        List<String> actions = new ArrayList<>();
        api.expect(200, api.get("/audit?limit=200")).path("items").forEach(item -> actions.add(item.path("action")
                .asText()));
        return actions;
    }

    private X509Certificate rootCertificate() {
        return Pem.readCertificate(api.getPem("/pki/ca").body());
    }

    private static List<X509Certificate> chain(JsonNode enrolled) {
        List<X509Certificate> chain = new ArrayList<>();
        enrolled.path("certificateChain").forEach(pem -> chain.add(Pem.readCertificate(pem.asText())));
        return chain;
    }

    /** Returns the request with one byte of its signature changed. */
    private static String tamper(String csr) {
        String body = csr.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 3] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static void assertRejected(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(status);
        JsonNode error = ManagerApi.json(response);
        assertThat(error.path("message").asText()).as("message").isNotBlank();
        if (field != null) {
            assertThat(error.path("field").asText()).as("field of %s", response.body()).isEqualTo(field);
        }
    }
}
