package io.weft.node.agent.api;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The node's enrolled identity. {@link #toString()} omits the private key.
 *
 * @param nodeId           the id that the certificate's URI {@code urn:weft:node:<id>} carries
 * @param fullName         the node's full name {@code <node>.<domain>}, the certificate's DNS name
 * @param privateKey       the node's private key, which never leaves the node
 * @param certificateChain the node certificate first, then the issuing CA, ending with the root CA
 * @param rootCertificate  the Weft root CA, the only trust anchor of mesh and control connections
 */
public record Identity(String nodeId, String fullName, PrivateKey privateKey, List<X509Certificate> certificateChain,
        X509Certificate rootCertificate) {

    public Identity {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(privateKey, "privateKey");
        certificateChain = List.copyOf(certificateChain);
        Objects.requireNonNull(rootCertificate, "rootCertificate");
        if (certificateChain.isEmpty()) {
            throw new IllegalArgumentException("The certificate chain of node '" + fullName + "' is empty");
        }
    }

    /** Returns the node's own certificate, the first of the chain. */
    public X509Certificate certificate() {
        return certificateChain.get(0);
    }

    @Override
    public String toString() {
        return "Identity[nodeId=" + nodeId + ", fullName=" + fullName + ", serial="
                + certificate().getSerialNumber().toString(16) + "]";
    }
}
