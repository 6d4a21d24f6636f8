package io.weft.control.internal;

import io.weft.control.ControlMessage;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.ControlTls;
import io.weft.control.FrameType.Sender;
import io.weft.control.HelloAck;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;

/** {@link ControlSession} over one MINA session. */
final class DefaultControlSession implements ControlSession {

    private final IoSession session;
    private final Sender localSide;
    private final ControlSettings settings;
    /** Peer chain stored once the handshake completes, because MINA drops it when the session closes. */
    private volatile List<X509Certificate> peerChain = List.of();
    private volatile Throwable closeCause;

    DefaultControlSession(IoSession session, Sender localSide, ControlSettings settings) {
        this.session = session;
        this.localSide = localSide;
        this.settings = settings;
    }

    @Override
    public long id() {
        return session.getId();
    }

    @Override
    public SocketAddress remoteAddress() {
        return session.getRemoteAddress();
    }

    @Override
    public X509Certificate peerCertificate() {
        List<X509Certificate> chain = peerChain;
        if (chain.isEmpty()) {
            throw new IllegalStateException("Control session " + id()
                    + " has no verified peer certificate: its TLS handshake has not completed");
        }
        return chain.get(0);
    }

    @Override
    public List<X509Certificate> peerCertificateChain() {
        return peerChain;
    }

    @Override
    public Optional<Throwable> closeCause() {
        return Optional.ofNullable(closeCause);
    }

    /** Records the error that closes the session. */
    void closedBy(Throwable cause) {
        closeCause = cause;
    }

    /** Stores the peer's chain from the completed handshake. */
    void storePeerChain() {
        peerChain = ControlTls.peerCertificateChain(session);
    }

    @Override
    public CompletionStage<Void> send(ControlMessage message) {
        Objects.requireNonNull(message, "message");
        if (!message.type().sender().allows(localSide)) {
            throw new IllegalArgumentException(
                    "A " + localSide.name().toLowerCase(Locale.ROOT) + " may not send " + message.type());
        }

        WriteFuture written = session.write(message);
        if (message instanceof HelloAck ack) {
            afterHelloAck(ack);
        }
        return completion(written);
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public void close() {
        session.closeOnFlush();
    }

    IoSession ioSession() {
        return session;
    }

    private void afterHelloAck(HelloAck ack) {
        if (ack.accepted()) {
            Heartbeats.watchReads(session, settings, ack.heartbeatIntervalSeconds());
        } else {
            session.closeOnFlush();
        }
    }

    private CompletionStage<Void> completion(WriteFuture written) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        written.addListener(future -> {
            WriteFuture write = (WriteFuture) future;
            if (write.isWritten()) {
                done.complete(null);
            } else if (write.getException() != null) {
                done.completeExceptionally(write.getException());
            } else {
                done.completeExceptionally(new IOException("Control session " + id() + " closed before the write"));
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "control session " + id() + " with " + remoteAddress();
    }
}
