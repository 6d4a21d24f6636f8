package io.weft.control;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA with EC P-256 keys, leaf certificates for a manager and a node, and TLS contexts
 * built from them. The Bouncy Castle provider is passed to each builder, never registered.
 */
final class TestPki {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BouncyCastleJsseProvider JSSE = new BouncyCastleJsseProvider(BC);

    /** A private key with its certificate chain, leaf first. */
    record Identity(PrivateKey key, X509Certificate... chain) {
    }

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestPki(KeyPair caKeys, X509Certificate caCertificate) {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    static TestPki create() throws Exception {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=Weft Test CA");
        X509v3CertificateBuilder builder = builder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestPki(keys, sign(builder, keys.getPrivate()));
    }

    /** Issues the manager's certificate, valid for the host names localhost and 127.0.0.1. */
    Identity issueManager() throws Exception {
        return issue("manager.test", KeyPurposeId.id_kp_serverAuth,
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    /** Issues a node certificate for {@code fullName}, usable only for client authentication. */
    Identity issueNode(String fullName) throws Exception {
        return issue(fullName, KeyPurposeId.id_kp_clientAuth, new GeneralName(GeneralName.dNSName, fullName));
    }

    /**
     * Returns a context that presents {@code identity} and trusts only this CA, run by Bouncy
     * Castle's JSSE as the manager's and the nodes' control connections are.
     */
    SSLContext sslContext(Identity identity) throws GeneralSecurityException, java.io.IOException {
        char[] password = Long.toHexString(RANDOM.nextLong()).toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("identity", identity.key(), password, identity.chain());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX", JSSE);
        keyManagers.init(keyStore, password);

        SSLContext context = SSLContext.getInstance("TLS", JSSE);
        context.init(keyManagers.getKeyManagers(), trustManagers().getTrustManagers(), RANDOM);
        return context;
    }

    /** Returns a context that trusts this CA but has no certificate of its own. */
    SSLContext sslContextWithoutCertificate() throws GeneralSecurityException, java.io.IOException {
        SSLContext context = SSLContext.getInstance("TLS", JSSE);
        context.init(null, trustManagers().getTrustManagers(), RANDOM);
        return context;
    }

    private TrustManagerFactory trustManagers() throws GeneralSecurityException, java.io.IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("weft-test-ca", caCertificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX", JSSE);
        trustManagers.init(trustStore);
        return trustManagers;
    }

    private Identity issue(String commonName, KeyPurposeId purpose, GeneralName... names) throws Exception {
        KeyPair keys = newKeyPair();
        X500Name issuer = new X500Name(caCertificate.getSubjectX500Principal().getName());
        X509v3CertificateBuilder builder = builder(issuer, new X500Name("CN=" + commonName), keys);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(caCertificate));
        return new Identity(keys.getPrivate(), sign(builder, caKeys.getPrivate()), caCertificate);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, java.security.cert.CertificateException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(issuerKey);
        return new JcaX509CertificateConverter().setProvider(BC).getCertificate(builder.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }
}
