package io.weft.pki.internal;

import io.weft.pki.KeyPurpose;
import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs X.509 v3 certificates with {@link X509v3CertificateBuilder}: the Weft root
 * CA, the issuing CA and end-entity certificates.
 */
public final class Issuer {

    /** Serial numbers are 159-bit random integers, positive in a 20-octet DER INTEGER (RFC 5280 maximum). */
    static final int SERIAL_BITS = 159;
    /**
     * Minimum bit length of a serial, below which a draw is repeated. The CA/Browser Forum
     * Baseline Requirements ask for at least 64 bits from a CSPRNG.
     */
    static final int MIN_SERIAL_BITS = 64;

    private Issuer() {
    }

    /** Self-signs a root CA certificate without a path length limit. */
    public static X509Certificate root(X500Name subject, java.security.KeyPair keys, KeyType type, Instant notBefore,
            Instant notAfter, SecureRandom random) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                date(notBefore), date(notAfter), subject, keys.getPublic());
        JcaX509ExtensionUtils utils = extensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new PkiException("Encoding the root CA extensions failed: " + e.getMessage(), e);
        }
        return Certs.toX509(builder.build(signer(keys.getPrivate(), type, random)));
    }

    /** Signs an intermediate CA certificate with path length 0, so it may sign end entities only. */
    public static X509Certificate intermediate(X509Certificate root, PrivateKey rootKey, KeyType rootKeyType,
            X500Name subject, PublicKey publicKey, Instant notBefore, Instant notAfter, SecureRandom random) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(random), date(notBefore),
                date(notAfter), subject, publicKey);
        JcaX509ExtensionUtils utils = extensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(root));
        } catch (CertIOException | java.security.cert.CertificateEncodingException e) {
            throw new PkiException("Encoding the issuing CA extensions failed: " + e.getMessage(), e);
        }
        return Certs.toX509(builder.build(signer(rootKey, rootKeyType, random)));
    }

    /** Subject, names and usages of an end-entity certificate. */
    public record EndEntity(String commonName, PublicKey publicKey, List<String> dnsNames,
            List<InetAddress> ipAddresses, List<URI> uris, Collection<KeyPurpose> purposes) {
    }

    /** Signs an end-entity certificate with key usage digitalSignature and the given extended key usages. */
    public static X509Certificate endEntity(X509Certificate issuer, PrivateKey issuerKey, KeyType issuerKeyType,
            EndEntity entity, Instant notBefore, Instant notAfter, SecureRandom random) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, entity.commonName()).build();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(random), date(notBefore),
                date(notAfter), subject, entity.publicKey());
        JcaX509ExtensionUtils utils = extensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(entity.purposes()));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(entity.publicKey()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            GeneralNames alternativeNames = alternativeNames(entity);
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
        } catch (CertIOException | java.security.cert.CertificateEncodingException e) {
            throw new PkiException("Encoding the certificate extensions failed: " + e.getMessage(), e);
        }
        return Certs.toX509(builder.build(signer(issuerKey, issuerKeyType, random)));
    }

    /** Returns a CA name: {@code CN=<commonName>, O=Weft}. */
    public static X500Name caName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Weft").addRDN(BCStyle.CN, commonName).build();
    }

    public static ContentSigner signer(PrivateKey key, KeyType type, SecureRandom random) {
        try {
            return new JcaContentSignerBuilder(type.signatureAlgorithm())
                    .setProvider(Bc.PROVIDER)
                    .setSecureRandom(random)
                    .build(key);
        } catch (OperatorCreationException e) {
            throw new PkiException("Creating a " + type.signatureAlgorithm() + " signer failed: " + e.getMessage(), e);
        }
    }

    public static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Bouncy Castle's SHA-1 digest for key identifiers is missing.", e);
        }
    }

    /** Returns a time truncated to whole seconds, the precision of X.509 times. */
    public static Date date(Instant instant) {
        return Date.from(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    static BigInteger serial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(SERIAL_BITS, random);
        } while (serial.bitLength() < MIN_SERIAL_BITS);
        return serial;
    }

    private static ExtendedKeyUsage extendedKeyUsage(Collection<KeyPurpose> purposes) {
        List<KeyPurposeId> ids = new ArrayList<>();
        for (KeyPurpose purpose : purposes) {
            ids.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(purpose.oid())));
        }
        return new ExtendedKeyUsage(ids.toArray(new KeyPurposeId[0]));
    }

    private static GeneralNames alternativeNames(EndEntity entity) {
        List<GeneralName> names = new ArrayList<>();
        for (String dnsName : entity.dnsNames()) {
            names.add(new GeneralName(GeneralName.dNSName, dnsName));
        }
        for (InetAddress address : entity.ipAddresses()) {
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
        }
        for (URI uri : entity.uris()) {
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()));
        }
        return names.isEmpty() ? null : new GeneralNames(names.toArray(new GeneralName[0]));
    }
}
