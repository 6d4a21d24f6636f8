package io.weft.node.agent.internal;

import io.weft.pki.CertificationRequests;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.KeyPairs;
import io.weft.pki.PkiException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Turns an enrollment token into a new node identity: decodes and checks the token, generates
 * an EC P-256 key pair that never leaves the node, sends a CSR to the manager and verifies the
 * chain it returns. Storing the identity is the caller's step.
 */
final class Enroller {

    private final EnrollmentClient client;
    private final Clock clock;
    private final SecureRandom random;

    Enroller(EnrollmentClient client, Clock clock, SecureRandom random) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Decodes a token and checks that it has not expired.
     *
     * @throws EnrollmentException, not retryable, for a malformed or expired token
     */
    EnrollmentToken decode(String tokenText) throws EnrollmentException {
        EnrollmentToken token;
        try {
            token = EnrollmentToken.decode(Objects.requireNonNull(tokenText, "tokenText"));
        } catch (PkiException e) {
            throw new EnrollmentException(e.getMessage() + " Create a new token on the manager and copy all of it.",
                    false, e);
        }
        if (token.isExpiredAt(clock.instant())) {
            throw new EnrollmentException("The enrollment token for node '" + token.nodeId() + "' expired at "
                    + token.expiresAt() + ". Create a new token on the manager.", false);
        }
        return token;
    }

    /** Runs the enrollment with the manager and returns the verified identity, not yet stored. */
    NodeIdentity enroll(String tokenText) throws EnrollmentException {
        return enroll(decode(tokenText), tokenText);
    }

    /**
     * Runs the enrollment with a token that {@link #decode} returned for {@code tokenText} and
     * returns the verified identity, not yet stored. The identity's node id is the token's.
     */
    NodeIdentity enroll(EnrollmentToken token, String tokenText) throws EnrollmentException {
        KeyPair keys = KeyPairs.generateNodeKeyPair(random);
        String csr = CertificationRequests.create(keys, token.nodeId(), random);

        EnrollmentClient.Response response = client.enroll(token, tokenText.strip(), csr);

        if (!response.nodeId().equals(token.nodeId())) {
            throw new EnrollmentException("The manager enrolled the node id '" + response.nodeId()
                    + "', but the token is for '" + token.nodeId() + "'. Nothing was stored.", false);
        }
        try {
            Certificates.requireIssuedChain(response.chain(), token.caFingerprint(), keys.getPublic(),
                    token.nodeId(), clock);
        } catch (PkiException e) {
            throw new EnrollmentException("The certificate chain from the manager is invalid, so nothing was"
                    + " stored: " + e.getMessage(), false, e);
        }
        IdentityRecord record;
        try {
            record = new IdentityRecord(token.nodeId(), response.nodeName(), response.controlAddress(),
                    token.enrollmentUrl(), token.caFingerprint());
        } catch (IllegalArgumentException e) {
            throw new EnrollmentException("The manager's enrollment response is invalid: " + e.getMessage(), false,
                    e);
        }
        return new NodeIdentity(record, keys.getPrivate(), response.chain());
    }
}
