package io.weft.manager.pki.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A node certificate that the CA just issued.
 *
 * @param chain the node certificate, the issuing CA and the root CA, in that order
 */
public record IssuedNodeCertificate(List<X509Certificate> chain) {

    public IssuedNodeCertificate {
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("A certificate chain needs at least the node certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }
}
