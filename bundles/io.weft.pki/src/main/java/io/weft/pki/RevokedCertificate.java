package io.weft.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A revoked certificate as a CRL entry lists it.
 *
 * @param serial    serial number of the revoked certificate, positive
 * @param revokedAt time of the revocation
 * @param reason    reason code of the CRL entry
 */
public record RevokedCertificate(BigInteger serial, Instant revokedAt, RevocationReason reason) {

    public RevokedCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
        if (serial.signum() <= 0) {
            throw new PkiException("The serial " + serial + " is not positive.");
        }
    }
}
