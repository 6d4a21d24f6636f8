package io.weft.manager.apps.internal;

import java.security.cert.X509Certificate;
import java.util.List;

import io.weft.pki.Pem;

/** JSON bodies of the {@code /api/v1/app-signing-certificate} resource. */
public final class SigningDtos {

    private SigningDtos() {
    }

    /**
     * The app repository's signing certificate.
     *
     * @param serial    the serial number as lower-case hex
     * @param notAfter  the end of its validity as an ISO-8601 instant
     * @param pem       the certificate in PEM form
     */
    public record SigningCertificateDto(String serial, String subject, String notAfter, String pem) {

        static SigningCertificateDto of(X509Certificate certificate) {
            return new SigningCertificateDto(certificate.getSerialNumber().toString(16),
                    certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant().toString(),
                    Pem.toPem(certificate));
        }
    }

    /** Request body of a revocation; the reason is a CRL reason such as {@code key_compromise}, which is the default. */
    public record RevokeSigningRequest(String reason) {
    }

    /**
     * Outcome of a revocation.
     *
     * @param revokedSerial the serial of the revoked certificate as lower-case hex
     * @param certificate   the new signing certificate
     * @param signedAgain   the number of stored versions signed again with the new key
     * @param failed        the versions, as {@code name version}, that could not be signed again
     */
    public record SigningRevocationDto(String revokedSerial, SigningCertificateDto certificate, int signedAgain,
            List<String> failed) {
    }
}
