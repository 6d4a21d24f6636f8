package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import io.weft.pki.internal.SingleKeyManager;
import io.weft.pki.internal.VerifyingTrustManager;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Builds JSSE key managers, trust managers and {@link SSLContext}s for mutual TLS between
 * Weft nodes and the manager.
 *
 * <p>An {@link SSLContext} does not restrict protocols or cipher suites by itself. Apply
 * {@link #serverParameters()} or {@link #clientParameters()} to every socket, server socket or
 * engine, for example with {@code socket.setSSLParameters(TlsContexts.serverParameters())}.
 */
public final class TlsContexts {

    /** Enabled protocol versions, newest first. TLS 1.1 and older are never enabled. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Enabled cipher suites, AES-GCM first: the TLS 1.3 suites, then the TLS 1.2 ECDHE suites
     * for ECDSA keys, all with forward secrecy and AEAD. Weft certificates carry EC or Ed25519
     * keys, so no RSA suite is listed.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsContexts() {
    }

    /**
     * Returns a key manager that presents {@code chain} (leaf first, usually leaf, issuing CA
     * and root CA) and signs with {@code key}. The key and certificates are converted to the
     * JDK's own classes, which JSSE requires.
     */
    public static X509ExtendedKeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
        return keyManager(key, chain, TlsImplementation.JDK);
    }

    /**
     * Returns a key manager as {@link #keyManager(PrivateKey, List)} does, with the key in the
     * classes of the provider that signs with it for {@code implementation}. Bouncy Castle
     * signs with a JDK key too, but converts it on every signature and so computes its P-256
     * base point table again each time: 10 % of the manager's CPU in a profile of 10,000 nodes
     * reconnecting.
     */
    public static X509ExtendedKeyManager keyManager(PrivateKey key, List<X509Certificate> chain,
            TlsImplementation implementation) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(implementation, "implementation");
        if (chain.isEmpty()) {
            throw new PkiException("The certificate chain for the key manager is empty.");
        }
        KeyType type = KeyType.of(chain.get(0).getPublicKey(), KeyType.ALL);
        X509Certificate[] certificates = new X509Certificate[chain.size()];
        for (int i = 0; i < certificates.length; i++) {
            certificates[i] = Certs.toX509(Certs.holder(chain.get(i)));
        }
        Provider signer = implementation == TlsImplementation.BOUNCY_CASTLE ? Bc.PROVIDER : null;
        return new SingleKeyManager(convertKey(key, type, signer), certificates, keyTypeNames(type));
    }

    /**
     * Returns the names under which JSSE providers request a key of this type. The JDK names
     * EC keys {@code EC}. Bouncy Castle names them by key exchange for TLS 1.2
     * ({@code ECDHE_ECDSA}) and by curve for TLS 1.3, such as {@code EC/secp256r1}.
     */
    private static Set<String> keyTypeNames(KeyType type) {
        switch (type) {
            case EC_P256:
                return Set.of("EC", "ECDHE_ECDSA", "EC/secp256r1");
            case EC_P384:
                return Set.of("EC", "ECDHE_ECDSA", "EC/secp384r1");
            case ED25519:
                return Set.of("EdDSA", "Ed25519");
            default:
                throw new PkiException("No TLS key type name is known for " + type.displayName() + " keys.");
        }
    }

    /**
     * Returns a trust manager that accepts a client or server only when {@code verifier}
     * accepts its chain for {@link KeyPurpose#TLS_CLIENT} or {@link KeyPurpose#TLS_SERVER}.
     * For a server it also checks the host name when the connection's SSL parameters set an
     * endpoint identification algorithm.
     */
    public static X509ExtendedTrustManager trustManager(TrustVerifier verifier) {
        Objects.requireNonNull(verifier, "verifier");
        return new VerifyingTrustManager() {
            @Override
            protected X509Certificate verifyChain(List<X509Certificate> chain, KeyPurpose purpose) {
                return verifier.verify(chain, purpose);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[] {verifier.root()};
            }
        };
    }

    /** Returns {@link #trustManager(TrustVerifier)} for a new verifier of these arguments. */
    public static X509ExtendedTrustManager trustManager(X509Certificate root,
            Supplier<? extends Collection<BigInteger>> revokedSerials, Clock clock) {
        return trustManager(new TrustVerifier(root, revokedSerials, clock));
    }

    /**
     * Returns a trust manager for a node's first contact with the manager, before the node has
     * the root CA certificate. It accepts a server whose chain ends in a root CA certificate
     * with the SHA-256 fingerprint from the enrollment token and validates to that root. The
     * server must therefore send the root CA certificate in its chain. It rejects every client.
     */
    public static X509ExtendedTrustManager firstContactTrustManager(Fingerprint rootFingerprint, Clock clock) {
        Objects.requireNonNull(rootFingerprint, "rootFingerprint");
        Objects.requireNonNull(clock, "clock");
        return new VerifyingTrustManager() {
            @Override
            protected X509Certificate verifyChain(List<X509Certificate> chain, KeyPurpose purpose) {
                if (purpose != KeyPurpose.TLS_SERVER) {
                    throw new PkiException("The first-contact trust manager authenticates servers only.");
                }
                if (chain.isEmpty()) {
                    throw new PkiException("The server presented no certificate.");
                }
                X509Certificate root = chain.get(chain.size() - 1);
                if (!rootFingerprint.matches(root)) {
                    throw new PkiException("The server's chain ends in '" + root.getSubjectX500Principal().getName()
                            + "' with SHA-256 fingerprint " + Fingerprint.of(root) + ", not in the Weft CA with the"
                            + " fingerprint " + rootFingerprint + " from the enrollment token.");
                }
                return TrustVerifier.withoutRevocation(root, clock).verify(chain, purpose);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    /**
     * Returns a TLS context with the given managers. {@code keyManager} may be null for a client
     * that presents no certificate, such as a node on first contact.
     */
    public static SSLContext sslContext(X509ExtendedKeyManager keyManager, X509ExtendedTrustManager trustManager,
            SecureRandom random) {
        return sslContext(keyManager, trustManager, random, TlsImplementation.JDK);
    }

    /**
     * Returns a TLS context with the given managers, run by {@code implementation}.
     * {@code keyManager} may be null for a client that presents no certificate.
     */
    public static SSLContext sslContext(X509ExtendedKeyManager keyManager, X509ExtendedTrustManager trustManager,
            SecureRandom random, TlsImplementation implementation) {
        Objects.requireNonNull(trustManager, "trustManager");
        Objects.requireNonNull(implementation, "implementation");
        try {
            SSLContext context = implementation == TlsImplementation.BOUNCY_CASTLE
                    ? SSLContext.getInstance("TLS", BcJsse.PROVIDER)
                    : SSLContext.getInstance("TLS");
            KeyManager[] keyManagers = keyManager == null ? null : new KeyManager[] {keyManager};
            context.init(keyManagers, new TrustManager[] {trustManager}, random);
            return context;
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new PkiException("Creating the TLS context failed: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a mutual TLS context that presents {@code chain} and accepts peers that chain to
     * {@code root} and whose serials {@code revokedSerials} does not list at handshake time.
     */
    public static SSLContext mutualTlsContext(PrivateKey key, List<X509Certificate> chain, X509Certificate root,
            Supplier<? extends Collection<BigInteger>> revokedSerials, Clock clock, SecureRandom random) {
        return mutualTlsContext(key, chain, root, revokedSerials, clock, random, TlsImplementation.JDK);
    }

    /** Returns {@link #mutualTlsContext(PrivateKey, List, X509Certificate, Supplier, Clock, SecureRandom)} run by {@code implementation}. */
    public static SSLContext mutualTlsContext(PrivateKey key, List<X509Certificate> chain, X509Certificate root,
            Supplier<? extends Collection<BigInteger>> revokedSerials, Clock clock, SecureRandom random,
            TlsImplementation implementation) {
        return sslContext(keyManager(key, chain, implementation), trustManager(root, revokedSerials, clock), random,
                implementation);
    }

    /** Returns parameters for a server: {@link #PROTOCOLS}, {@link #CIPHER_SUITES}, client certificate required. */
    public static SSLParameters serverParameters() {
        SSLParameters parameters = clientParameters();
        parameters.setNeedClientAuth(true);
        return parameters;
    }

    /**
     * Returns parameters for a client: {@link #PROTOCOLS} and {@link #CIPHER_SUITES}, with the
     * server's cipher suite order preferred. Set an endpoint identification algorithm on them
     * to check the server's host name.
     */
    public static SSLParameters clientParameters() {
        SSLParameters parameters = new SSLParameters(CIPHER_SUITES.toArray(new String[0]),
                PROTOCOLS.toArray(new String[0]));
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /**
     * Holds Bouncy Castle's JSSE provider, doing its cryptography with {@link Bc#PROVIDER}. It is
     * created on first use, so code that never requests {@link TlsImplementation#BOUNCY_CASTLE}
     * needs no Bouncy Castle TLS classes.
     */
    private static final class BcJsse {
        static final Provider PROVIDER = new BouncyCastleJsseProvider(Bc.PROVIDER);
    }

    /**
     * Converts a private key to the class that {@code provider} makes, or the JDK's default
     * provider when it is null, so the JSSE implementation can sign with it.
     */
    private static PrivateKey convertKey(PrivateKey key, KeyType type, Provider provider) {
        String algorithm = type == KeyType.ED25519 ? "Ed25519" : "EC";
        try {
            KeyFactory factory = provider == null ? KeyFactory.getInstance(algorithm)
                    : KeyFactory.getInstance(algorithm, provider);
            return factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("Converting the " + type.displayName() + " private key for TLS failed: "
                    + e.getMessage(), e);
        }
    }
}
