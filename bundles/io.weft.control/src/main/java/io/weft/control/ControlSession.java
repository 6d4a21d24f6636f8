package io.weft.control;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** One control connection between a node and the manager, as passed to its listener. */
@ProviderType
public interface ControlSession {

    /** Returns MINA's session id, unique within one server or client. */
    long id();

    SocketAddress remoteAddress();

    /**
     * Returns the peer's leaf certificate, verified by the caller's trust manager during the handshake;
     * still available after the session closed.
     *
     * @throws IllegalStateException before the TLS handshake has completed
     */
    X509Certificate peerCertificate();

    /** Returns the peer's certificate chain as the peer sent it, leaf first. */
    List<X509Certificate> peerCertificateChain();

    /**
     * Sends a message. A manager that sends a {@link HelloAck} that accepts the node starts the
     * heartbeat watch; one that rejects the node closes the session after the message is written.
     *
     * @return a stage completed when the message is written to the socket, or exceptionally
     *     when writing failed
     * @throws IllegalArgumentException when this side may not send the message's type
     */
    CompletionStage<Void> send(ControlMessage message);

    boolean isConnected();

    /** Closes the session after the messages queued so far are written. */
    void close();

    /**
     * Returns the error that closed or is closing the session, or empty. A TLS 1.3 client
     * finishes its handshake before the server checks the client certificate, so a manager
     * that rejects it closes an open session, and the alert with the reason arrives here.
     */
    default Optional<Throwable> closeCause() {
        return Optional.empty();
    }
}
