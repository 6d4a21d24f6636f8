package io.weft.mesh;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The authenticated node at the other end of a tunnel.
 *
 * @param nodeId           the node id from the certificate's URI subject alternative name {@code urn:weft:node:<id>}
 * @param fullName         the node's full name {@code <node>.<domain>} from the certificate's DNS subject alternative name
 * @param certificateChain the chain the peer presented, leaf first, verified by the tunnel's trust manager
 * @param remoteAddress    the peer's socket address, or null for a tunnel without a socket
 */
public record MeshPeer(String nodeId, String fullName, List<X509Certificate> certificateChain,
        InetSocketAddress remoteAddress) {

    public MeshPeer {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(fullName, "fullName");
        certificateChain = List.copyOf(certificateChain);
    }

    /** Returns the peer's leaf certificate, or null when the chain is empty. */
    public X509Certificate certificate() {
        return certificateChain.isEmpty() ? null : certificateChain.get(0);
    }

    @Override
    public String toString() {
        return "'" + fullName + "' (node " + nodeId + (remoteAddress == null ? "" : " at " + remoteAddress) + ")";
    }
}
