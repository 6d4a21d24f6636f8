package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate that the CA issued to a node.
 *
 * @param serial           serial number as lower-case hex without leading zeros
 * @param revokedAt        when the certificate was revoked, empty while it is valid
 * @param revocationReason the CRL reason code name, such as {@code superseded}, empty while valid
 */
public record NodeCertificate(String serial, String nodeId, Instant notBefore, Instant notAfter, Instant issuedAt,
        Optional<Instant> revokedAt, Optional<String> revocationReason) {

    public NodeCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revocationReason, "revocationReason");
    }

    /** Returns a certificate that is not revoked. */
    public static NodeCertificate issued(String serial, String nodeId, Instant notBefore, Instant notAfter,
            Instant issuedAt) {
        return new NodeCertificate(serial, nodeId, notBefore, notAfter, issuedAt, Optional.empty(), Optional.empty());
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }
}
