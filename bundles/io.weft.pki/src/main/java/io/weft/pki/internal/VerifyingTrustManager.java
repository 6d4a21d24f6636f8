package io.weft.pki.internal;

import io.weft.pki.KeyPurpose;
import io.weft.pki.PkiException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust manager that delegates chain verification to {@link #verifyChain} and then, for a
 * server, checks the host name when the socket's or engine's SSL parameters set an endpoint
 * identification algorithm (such as {@code HTTPS}).
 */
public abstract class VerifyingTrustManager extends X509ExtendedTrustManager {

    /** Verifies the chain for the purpose and returns the end-entity certificate. */
    protected abstract X509Certificate verifyChain(List<X509Certificate> chain, KeyPurpose purpose);

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, KeyPurpose.TLS_CLIENT);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, KeyPurpose.TLS_CLIENT);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, KeyPurpose.TLS_CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, KeyPurpose.TLS_SERVER);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        X509Certificate leaf = verify(chain, KeyPurpose.TLS_SERVER);
        if (socket instanceof SSLSocket) {
            SSLSocket sslSocket = (SSLSocket) socket;
            checkHost(leaf, sslSocket.getSSLParameters().getEndpointIdentificationAlgorithm(),
                    peerHost(sslSocket.getHandshakeSession()));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        X509Certificate leaf = verify(chain, KeyPurpose.TLS_SERVER);
        if (engine != null) {
            checkHost(leaf, engine.getSSLParameters().getEndpointIdentificationAlgorithm(), engine.getPeerHost());
        }
    }

    private X509Certificate verify(X509Certificate[] chain, KeyPurpose purpose) throws CertificateException {
        try {
            return verifyChain(chain == null ? List.of() : List.of(chain), purpose);
        } catch (PkiException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    private static String peerHost(SSLSession session) {
        return session == null ? null : session.getPeerHost();
    }

    private static void checkHost(X509Certificate leaf, String algorithm, String host) throws CertificateException {
        if (algorithm == null || algorithm.isEmpty()) {
            return;
        }
        if (!HostNames.matches(leaf, host)) {
            throw new CertificateException("The server certificate " + Certs.describe(leaf)
                    + " has no subject alternative name for the host '" + host + "'.");
        }
    }
}
