package io.weft.node.edge.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.weft.fleet.NodeFullName;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.node.mesh.api.MeshRoutes;
import io.weft.pki.TlsContexts;

/**
 * Opens TLS connections to the Edge API of other nodes through the mesh. It connects to the
 * mesh's loopback route and runs a TLS handshake with this node's certificate. The peer's
 * certificate must then name the node that was dialled. Nothing of a call is sent before that,
 * so a {@link NotSentException} means that the call can be tried on another node.
 */
final class RemoteEdgeApi {

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final Supplier<MeshRoutes> routes;

    /** @param routes returns the mesh's routes, or null while the mesh is not running */
    RemoteEdgeApi(Supplier<MeshRoutes> routes) {
        this.routes = routes;
    }

    /**
     * Returns a TLS connection to {@code node}'s Edge API whose reads time out after
     * {@code readTimeoutMillis}.
     *
     * @throws NotSentException when the mesh, the TCP connection or the handshake fails, or the
     *                          peer is another node
     */
    SSLSocket connect(NodeFullName node, SSLContext tls, int readTimeoutMillis) throws NotSentException {
        return connect(route(node), node, tls, readTimeoutMillis);
    }

    /**
     * Returns a TLS connection to the Edge API at {@code address}, whose certificate must name
     * {@code node}, with reads that time out after {@code readTimeoutMillis}.
     *
     * @throws NotSentException when the TCP connection or the handshake fails, or the peer is another node
     */
    static SSLSocket connect(InetSocketAddress address, NodeFullName node, SSLContext tls, int readTimeoutMillis)
            throws NotSentException {
        Socket raw = new Socket();
        try {
            raw.connect(address, CONNECT_TIMEOUT_MILLIS);
            raw.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, node.toString(),
                    address.getPort(), true);
            socket.setUseClientMode(true);
            socket.setSSLParameters(TlsContexts.clientParameters());
            socket.startHandshake();
            requirePeer(socket, node);
            socket.setSoTimeout(readTimeoutMillis);
            return socket;
        } catch (IOException e) {
            closeQuietly(raw);
            throw new NotSentException("the TLS connection failed: " + e.getMessage(), e);
        } catch (NotSentException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    private InetSocketAddress route(NodeFullName node) throws NotSentException {
        MeshRoutes current = routes.get();
        if (current == null) {
            throw new NotSentException("this node's mesh is not running", null);
        }
        try {
            return current.route(node.toString(), BuiltInTarget.EDGE_API);
        } catch (IOException | IllegalStateException e) {
            throw new NotSentException("no mesh route: " + e.getMessage(), e);
        }
    }

    private static void requirePeer(SSLSocket socket, NodeFullName node) throws IOException, NotSentException {
        Certificate[] chain = socket.getSession().getPeerCertificates();
        NodeFullName peer;
        try {
            peer = CallerAuthenticator.fullName((X509Certificate) chain[0]);
        } catch (EdgeError e) {
            throw new NotSentException("the peer's certificate is not a node certificate: " + e.getMessage(), null);
        }
        if (!peer.equals(node)) {
            throw new NotSentException("the peer's certificate names node '" + peer + "'", null);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing was sent on it, and the caller learns the first failure.
        }
    }

    /** A failure before any byte of the call was sent, so the call can go to another node. */
    static final class NotSentException extends Exception {

        private static final long serialVersionUID = 1L;

        NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
