package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import io.weft.pki.internal.Crls;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * A CRL whose signature and issuer name were verified against the Weft issuing CA.
 *
 * <p>Verification does not check freshness. The caller compares {@link #nextUpdate()} with its
 * clock through {@link #isCurrentAt} and decides what a stale CRL means.
 */
public final class RevocationList {

    /** Maximum size of an encoded CRL that {@link #parse} reads. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private final X509CRL crl;
    private final BigInteger crlNumber;
    private final List<RevokedCertificate> entries;

    private RevocationList(X509CRL crl, BigInteger crlNumber, List<RevokedCertificate> entries) {
        this.crl = crl;
        this.crlNumber = crlNumber;
        this.entries = entries;
    }

    /**
     * Parses a PEM ({@code X509 CRL}) or DER CRL and verifies that {@code issuingCa} signed it.
     *
     * @throws PkiException when the input is malformed, has no CRL number or nextUpdate, names
     *                      another issuer or has an invalid signature
     */
    public static RevocationList parse(byte[] encoded, X509Certificate issuingCa) {
        if (encoded.length > MAX_BYTES) {
            throw new PkiException("The CRL has " + encoded.length + " bytes, more than the maximum of " + MAX_BYTES
                    + ".");
        }
        X509CRLHolder holder = decode(encoded);
        if (!holder.getIssuer().equals(Certs.subject(issuingCa))) {
            throw new PkiException("The CRL is issued by '" + issuerName(holder) + "', not by the issuing CA '"
                    + issuingCa.getSubjectX500Principal().getName() + "'.");
        }
        requireSignedBy(holder, issuingCa);
        if (holder.getNextUpdate() == null) {
            throw new PkiException("The CRL has no nextUpdate time.");
        }
        Extension number = holder.getExtension(Extension.cRLNumber);
        if (number == null) {
            throw new PkiException("The CRL has no CRL number extension.");
        }
        List<RevokedCertificate> entries = new ArrayList<>();
        for (Object entry : holder.getRevokedCertificates()) {
            entries.add(toEntry((X509CRLEntryHolder) entry));
        }
        return new RevocationList(Crls.toX509(encodedDer(holder)),
                CRLNumber.getInstance(number.getParsedValue()).getCRLNumber(), Collections.unmodifiableList(entries));
    }

    /** Returns the CRL as the JDK represents it. */
    public X509CRL crl() {
        return crl;
    }

    public BigInteger crlNumber() {
        return crlNumber;
    }

    public Instant thisUpdate() {
        return crl.getThisUpdate().toInstant();
    }

    public Instant nextUpdate() {
        return crl.getNextUpdate().toInstant();
    }

    /** Returns true when {@code now} lies between thisUpdate and nextUpdate, both included. */
    public boolean isCurrentAt(Instant now) {
        return !now.isBefore(thisUpdate()) && !now.isAfter(nextUpdate());
    }

    /** Returns the entries in the order of the CRL. */
    public List<RevokedCertificate> entries() {
        return entries;
    }

    /** Returns the serial numbers of the revoked certificates. */
    public Set<BigInteger> serials() {
        Set<BigInteger> serials = new LinkedHashSet<>();
        entries.forEach(entry -> serials.add(entry.serial()));
        return Collections.unmodifiableSet(serials);
    }

    private static X509CRLHolder decode(byte[] encoded) {
        String text = new String(encoded, StandardCharsets.US_ASCII);
        try {
            if (text.contains("-----BEGIN")) {
                try (PEMParser parser = new PEMParser(new StringReader(text))) {
                    Object object = parser.readObject();
                    if (object instanceof X509CRLHolder) {
                        return (X509CRLHolder) object;
                    }
                    throw new PkiException("The PEM text contains no X509 CRL block.");
                }
            }
            return new X509CRLHolder(encoded);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PkiException) {
                throw (PkiException) e;
            }
            throw new PkiException("The CRL is neither a PEM nor a DER X.509 CRL: " + e.getMessage(), e);
        }
    }

    private static String issuerName(X509CRLHolder holder) {
        try {
            return new X500Principal(holder.getIssuer().getEncoded()).getName();
        } catch (IOException | IllegalArgumentException e) {
            return holder.getIssuer().toString();
        }
    }

    private static void requireSignedBy(X509CRLHolder holder, X509Certificate issuingCa) {
        boolean valid;
        try {
            valid = holder.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER)
                    .build(issuingCa));
        } catch (OperatorCreationException | CertException e) {
            throw new PkiException("Verifying the CRL signature failed: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new PkiException("The CRL signature is invalid for the issuing CA '"
                    + issuingCa.getSubjectX500Principal().getName() + "'.");
        }
    }

    private static RevokedCertificate toEntry(X509CRLEntryHolder entry) {
        Extension reason = entry.getExtension(Extension.reasonCode);
        RevocationReason revocationReason = reason == null ? RevocationReason.UNSPECIFIED
                : RevocationReason.ofCode(ASN1Enumerated.getInstance(reason.getParsedValue()).intValueExact());
        return new RevokedCertificate(entry.getSerialNumber(), entry.getRevocationDate().toInstant(),
                revocationReason);
    }

    private static byte[] encodedDer(X509CRLHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new PkiException("Encoding the CRL failed: " + e.getMessage(), e);
        }
    }
}
