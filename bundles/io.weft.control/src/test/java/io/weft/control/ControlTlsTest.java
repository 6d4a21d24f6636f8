package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.filter.ssl.SslFilter;
import org.junit.jupiter.api.Test;

class ControlTlsTest {

    @Test
    void serverFilterRequiresClientCertificate() throws Exception {
        SslFilter filter = ControlTls.serverFilter(SSLContext.getDefault());

        assertThat(filter.isNeedClientAuth()).isTrue();
        assertThat(filter.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void clientFilterVerifiesHostName() throws Exception {
        SslFilter filter = ControlTls.clientFilter(SSLContext.getDefault());

        assertThat(filter.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(filter.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void cipherSuitesAreAeadWithAesGcmFirst() throws Exception {
        List<String> suites = ControlTls.cipherSuites(SSLContext.getDefault());

        assertThat(suites).isNotEmpty();
        assertThat(suites.get(0)).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(suites).allMatch(suite -> suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"));
        assertThat(suites).noneMatch(suite -> suite.contains("CBC") || suite.startsWith("TLS_RSA_"));
        List<Integer> ranks = suites.stream().map(ControlTlsTest::expectedRank).toList();
        assertThat(ranks).as("ranks of %s", suites).isSorted();
    }

    /** TLS 1.3 before TLS 1.2, and within each AES-256-GCM, AES-128-GCM, then ChaCha20. */
    private static int expectedRank(String suite) {
        int version = suite.startsWith("TLS_ECDHE_") ? 10 : 0;
        if (suite.contains("CHACHA20")) {
            return version + 2;
        }
        return version + (suite.contains("AES_256") ? 0 : 1);
    }

    @Test
    void peerCertificateIsEmptyBeforeHandshake() {
        DummySession session = new DummySession();

        assertThat(ControlTls.peerCertificate(session)).isEmpty();
        assertThat(ControlTls.peerCertificateChain(session)).isEmpty();
    }
}
