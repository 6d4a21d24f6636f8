package io.weft.control;

import io.weft.control.internal.ControlSslFilter;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * TLS settings of the control connection on MINA, and access to the peer's certificate.
 *
 * <p>Both filters enable TLS 1.3 and TLS 1.2 only, with AEAD cipher suites that have
 * forward secrecy, AES-GCM first. Trust is whatever the caller's {@link SSLContext} decides:
 * its trust manager must accept only chains to the Weft CA and check revocation.
 */
public final class ControlTls {

    /** Enabled protocols, preferred first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private ControlTls() {
    }

    /**
     * Returns a filter for the manager's acceptor. It requires a client certificate, so a
     * client without one never completes the handshake, and it prefers its own cipher suite
     * order over the client's.
     */
    public static SslFilter serverFilter(SSLContext sslContext) {
        SslFilter filter = new ControlSslFilter(sslContext);
        filter.setNeedClientAuth(true);
        configure(filter, sslContext);
        return filter;
    }

    /**
     * Returns a filter for a node's connector. It verifies that the manager's certificate
     * matches the host name or IP address that the node dialled (endpoint identification
     * "HTTPS"), so another certificate from the same CA cannot stand in for the manager.
     */
    public static SslFilter clientFilter(SSLContext sslContext) {
        SslFilter filter = new ControlSslFilter(sslContext);
        filter.setEndpointIdentificationAlgorithm("HTTPS");
        configure(filter, sslContext);
        return filter;
    }

    /**
     * Returns the cipher suites that the filters enable, preferred first: of the context's
     * default suites, the TLS 1.3 suites and the TLS 1.2 ECDHE suites with AES-GCM or
     * ChaCha20-Poly1305, with AES-GCM before ChaCha20 and 256-bit AES before 128-bit.
     */
    public static List<String> cipherSuites(SSLContext sslContext) {
        List<String> suites = new ArrayList<>();
        for (String suite : sslContext.getDefaultSSLParameters().getCipherSuites()) {
            if (isTls13(suite) || isEcdheAead(suite)) {
                suites.add(suite);
            }
        }
        suites.sort(Comparator.comparingInt(ControlTls::preference));
        return List.copyOf(suites);
    }

    /**
     * Returns the peer's certificate chain, leaf first, once the TLS handshake of the session
     * has completed. The list is empty before that or when the peer sent no certificate. The
     * chain has passed the trust manager of the {@link SSLContext} that the filter was built with.
     */
    public static List<X509Certificate> peerCertificateChain(IoSession session) {
        Object secured = session.getAttribute(SslFilter.SSL_SECURED);
        if (!(secured instanceof SSLSession sslSession)) {
            return List.of();
        }
        try {
            return Arrays.stream(sslSession.getPeerCertificates())
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** Returns the peer's verified leaf certificate, as {@link #peerCertificateChain} describes. */
    public static Optional<X509Certificate> peerCertificate(IoSession session) {
        return peerCertificateChain(session).stream().findFirst();
    }

    private static void configure(SslFilter filter, SSLContext sslContext) {
        filter.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
        filter.setEnabledCipherSuites(cipherSuites(sslContext).toArray(String[]::new));
    }

    private static boolean isTls13(String suite) {
        return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    }

    private static boolean isEcdheAead(String suite) {
        return suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"));
    }

    private static int preference(String suite) {
        int rank = isTls13(suite) ? 0 : 10;
        if (suite.contains("CHACHA20")) {
            rank += 5;
        } else if (suite.contains("AES_128")) {
            rank += 1;
        }
        return rank;
    }
}
