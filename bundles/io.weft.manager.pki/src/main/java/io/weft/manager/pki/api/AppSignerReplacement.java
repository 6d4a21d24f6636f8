package io.weft.manager.pki.api;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Outcome of {@link ManagerPki#replaceAppSigner}.
 *
 * @param revokedSerial the serial of the app-signing certificate that was revoked
 * @param certificate   the new app-signing certificate, issued by the Weft CA
 */
public record AppSignerReplacement(BigInteger revokedSerial, X509Certificate certificate) {

    public AppSignerReplacement {
        Objects.requireNonNull(revokedSerial, "revokedSerial");
        Objects.requireNonNull(certificate, "certificate");
    }
}
