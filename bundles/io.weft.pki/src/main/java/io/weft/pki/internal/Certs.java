package io.weft.pki.internal;

import io.weft.pki.PkiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Conversions between Bouncy Castle certificate holders and JDK certificates. Certificates
 * leave this bundle as JDK objects from the JDK's X.509 factory, so JSSE and callers never
 * handle Bouncy Castle key classes.
 */
public final class Certs {

    private Certs() {
    }

    public static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return toX509(holder.getEncoded());
        } catch (IOException e) {
            throw new PkiException("Encoding a certificate failed: " + e.getMessage(), e);
        }
    }

    public static X509Certificate toX509(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new PkiException("The certificate is not a valid DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    public static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            throw new PkiException("The certificate " + describe(certificate) + " cannot be encoded: "
                    + e.getMessage(), e);
        }
    }

    /** Returns the subject name of a certificate with its DER encoding unchanged. */
    public static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** Returns the serial in the hexadecimal form that logs and messages use, such as {@code 0x1f3a}. */
    public static String serialHex(BigInteger serial) {
        return "0x" + serial.toString(16);
    }

    /** Returns the subject and serial of a certificate, for messages. */
    public static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
                + serialHex(certificate.getSerialNumber()) + ")";
    }
}
