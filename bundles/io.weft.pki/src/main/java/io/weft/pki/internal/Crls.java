package io.weft.pki.internal;

import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import io.weft.pki.RevocationReason;
import io.weft.pki.RevokedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;

/** Builds X.509 v2 CRLs with {@link X509v2CRLBuilder}. */
public final class Crls {

    private Crls() {
    }

    public static X509CRL create(X509Certificate issuer, PrivateKey issuerKey, KeyType issuerKeyType,
            Collection<RevokedCertificate> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate,
            SecureRandom random) {
        X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuer, Issuer.date(thisUpdate));
        builder.setNextUpdate(Issuer.date(nextUpdate));
        try {
            for (RevokedCertificate entry : revoked) {
                builder.addCRLEntry(entry.serial(), Issuer.date(entry.revokedAt()), entryExtensions(entry.reason()));
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    Issuer.extensionUtils().createAuthorityKeyIdentifier(issuer));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
        } catch (CertIOException | CertificateEncodingException e) {
            throw new PkiException("Encoding the CRL failed: " + e.getMessage(), e);
        }
        X509CRLHolder holder = builder.build(Issuer.signer(issuerKey, issuerKeyType, random));
        try {
            return toX509(holder.getEncoded());
        } catch (IOException e) {
            throw new PkiException("Encoding the CRL failed: " + e.getMessage(), e);
        }
    }

    public static X509CRL toX509(byte[] der) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException | CRLException e) {
            throw new PkiException("The CRL is not a valid DER X.509 CRL: " + e.getMessage(), e);
        }
    }

    /** Omits the reason code for UNSPECIFIED, as RFC 5280 section 5.3.1 recommends. */
    private static org.bouncycastle.asn1.x509.Extensions entryExtensions(RevocationReason reason) throws CertIOException {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        if (reason != RevocationReason.UNSPECIFIED) {
            try {
                extensions.addExtension(Extension.reasonCode, false, CRLReason.lookup(reason.code()));
            } catch (IOException e) {
                throw new CertIOException("Encoding the CRL reason failed: " + e.getMessage(), e);
            }
        }
        return extensions.isEmpty() ? null : extensions.generate();
    }
}
