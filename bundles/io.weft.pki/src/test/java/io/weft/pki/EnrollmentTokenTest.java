package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EnrollmentTokenTest {

    private static final Fingerprint FINGERPRINT = Fingerprint.parse("ab".repeat(32));
    private static final Instant EXPIRES = Instant.parse("2027-03-02T12:00:00Z");

    private static EnrollmentToken token() {
        return EnrollmentToken.generate(URI.create("https://manager.example:8443/api/v1/enroll"),
                "manager.example:7443", FINGERPRINT, "node-42", EXPIRES, TestPki.RANDOM);
    }

    @Test
    void tokenRoundTrips() {
        EnrollmentToken token = token();

        String encoded = token.encode();
        EnrollmentToken decoded = EnrollmentToken.decode(encoded);

        assertThat(encoded).startsWith("weft-enroll-v1.").doesNotContain("=", "+", "/");
        assertThat(decoded.enrollmentUrl()).isEqualTo(token.enrollmentUrl());
        assertThat(decoded.controlAddress()).isEqualTo("manager.example:7443");
        assertThat(decoded.controlHost()).isEqualTo("manager.example");
        assertThat(decoded.controlPort()).isEqualTo(7443);
        assertThat(decoded.caFingerprint()).isEqualTo(FINGERPRINT);
        assertThat(decoded.nodeId()).isEqualTo("node-42");
        assertThat(decoded.secret()).isEqualTo(token.secret()).hasSize(32);
        assertThat(decoded.expiresAt()).isEqualTo(EXPIRES);
        assertThat(decoded.isExpiredAt(EXPIRES.minusSeconds(1))).isFalse();
        assertThat(decoded.isExpiredAt(EXPIRES)).isTrue();
    }

    @Test
    void ipv6ControlAddressIsAccepted() {
        EnrollmentToken token = new EnrollmentToken(URI.create("https://[2001:db8::1]/enroll"), "[2001:db8::1]:7443",
                FINGERPRINT, "n1", new byte[16], EXPIRES);

        EnrollmentToken decoded = EnrollmentToken.decode(token.encode());

        assertThat(decoded.controlHost()).isEqualTo("2001:db8::1");
        assertThat(decoded.controlPort()).isEqualTo(7443);
    }

    @Test
    void toStringOmitsSecret() {
        EnrollmentToken token = token();
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(token.secret());

        assertThat(token.toString()).contains("node-42").doesNotContain(secret);
    }

    @Test
    void secretHashMatchesOnlyItsSecret() {
        EnrollmentToken token = token();
        String stored = EnrollmentToken.hashSecret(token.secret());
        byte[] other = token.secret();
        other[0] ^= 1;

        assertThat(stored).hasSize(64);
        assertThat(EnrollmentToken.secretMatches(token.secret(), stored)).isTrue();
        assertThat(EnrollmentToken.secretMatches(other, stored)).isFalse();
        assertThat(EnrollmentToken.secretMatches(token.secret(), "not hex")).isFalse();
    }

    @Test
    void decodeAcceptsValidJson() {
        assertThat(EnrollmentToken.decode(encode(validJson())).nodeId()).isEqualTo("n1");
    }

    @Test
    void decodeRejectsTruncatedToken() {
        String encoded = token().encode();

        assertThatThrownBy(() -> EnrollmentToken.decode(encoded.substring(0, encoded.length() - 10)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("may be truncated");
    }

    @Test
    void decodeRejectsWrongPrefix() {
        String encoded = token().encode().replace("weft-enroll-v1.", "weft-enroll-v2.");

        assertThatThrownBy(() -> EnrollmentToken.decode(encoded))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not start with 'weft-enroll-v1.'");
    }

    @Test
    void decodeRejectsBadBase64() {
        assertThatThrownBy(() -> EnrollmentToken.decode("weft-enroll-v1.abc$def"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("token body is not unpadded Base64url text");
        assertThatThrownBy(() -> EnrollmentToken.decode("weft-enroll-v1.a"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("token body is not valid Base64url");
    }

    @Test
    void decodeRejectsMissingField() {
        String json = validJson().replace("\"nodeId\":\"n1\",", "");

        assertThatThrownBy(() -> EnrollmentToken.decode(encode(json)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("lacks the member nodeId");
    }

    @Test
    void decodeRejectsUnknownOrDuplicateField() {
        assertThatThrownBy(() -> EnrollmentToken.decode(encode(validJson().replace("{", "{\"extra\":\"1\","))))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("unknown member 'extra'");
        assertThatThrownBy(() -> EnrollmentToken.decode(encode(validJson().replace("{", "{\"nodeId\":\"n2\","))))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void decodeRejectsWrongTypes() {
        assertThatThrownBy(() -> EnrollmentToken.decode(encode(validJson().replace("\"n1\"", "42"))))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("member nodeId is not a string");
        assertThatThrownBy(() -> EnrollmentToken.decode(encode("[1]")))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void decodeRejectsHttpUrl() {
        String json = validJson().replace("https://manager.example/enroll", "http://manager.example/enroll");

        assertThatThrownBy(() -> EnrollmentToken.decode(encode(json)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("'http://manager.example/enroll' must use https");
    }

    @Test
    void decodeRejectsMalformedFingerprint() {
        String json = validJson().replace("ab".repeat(32), "ab".repeat(31));

        assertThatThrownBy(() -> EnrollmentToken.decode(encode(json)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("caFingerprint is malformed");
    }

    @Test
    void decodeRejectsBadControlAddress() {
        for (String address : new String[] {"manager.example", "manager.example:0", "manager.example:70000",
            ":7443", "a b:7443", "[::1:7443", "host:port"}) {
            String json = validJson().replace("manager.example:7443", address);

            assertThatThrownBy(() -> EnrollmentToken.decode(encode(json))).as(address)
                    .isInstanceOf(PkiException.class)
                    .hasMessageContaining("control address '" + address + "' is invalid");
        }
    }

    @Test
    void decodeRejectsShortSecretAndBadExpiry() {
        String shortSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[15]);

        assertThatThrownBy(() -> EnrollmentToken.decode(encode(validJson().replace(secret(), shortSecret))))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("secret has 15 bytes");
        assertThatThrownBy(() -> EnrollmentToken.decode(encode(validJson().replace("2027-03-02T12:00:00Z",
                "tomorrow")))).isInstanceOf(PkiException.class).hasMessageContaining("expiresAt is not an ISO-8601");
    }

    private static String secret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
    }

    private static String validJson() {
        return "{\"enrollmentUrl\":\"https://manager.example/enroll\",\"controlAddress\":\"manager.example:7443\","
                + "\"caFingerprint\":\"" + "ab".repeat(32) + "\",\"nodeId\":\"n1\",\"secret\":\"" + secret()
                + "\",\"expiresAt\":\"2027-03-02T12:00:00Z\"}";
    }

    private static String encode(String json) {
        return EnrollmentToken.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
