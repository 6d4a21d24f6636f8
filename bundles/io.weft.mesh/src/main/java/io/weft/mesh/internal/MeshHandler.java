package io.weft.mesh.internal;

import io.weft.control.ControlTls;
import io.weft.control.RepeatLimiter;
import io.weft.mesh.IoLoop;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshPeer;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshTunnel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.future.DefaultWriteFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA handler of mesh sessions on both sides: closes sessions whose TLS handshake does not
 * complete in time, checks the peer's identity, then runs a {@link Multiplexer} per session.
 * Each failed session is logged once.
 */
public final class MeshHandler extends IoHandlerAdapter {

    /** Future of a dialled tunnel, completed once the handshake and peer checks have passed. */
    public static final AttributeKey CONNECT_FUTURE = new AttributeKey(MeshHandler.class, "connectFuture");

    /** Name of the frame codec in every mesh session's filter chain. */
    public static final String CODEC_FILTER = "codec";

    private static final Logger LOG = LoggerFactory.getLogger(MeshHandler.class);
    /** How long a session that sent its close_notify waits for the peer's before it closes anyway. */
    static final long LINGER_MILLIS = 3_000;
    private static final AttributeKey TUNNEL = new AttributeKey(MeshHandler.class, "tunnel");
    private static final AttributeKey HANDSHAKE_TIMER = new AttributeKey(MeshHandler.class, "handshakeTimer");
    private static final AttributeKey FAILURE = new AttributeKey(MeshHandler.class, "failure");
    /** Set on a dialled session between its TLS handshake and the first frame from the server. */
    private static final AttributeKey AWAITING_PEER = new AttributeKey(MeshHandler.class, "awaitingPeer");

    private final MeshSettings settings;
    private final MeshListener listener;
    private final ScheduledExecutorService timer;
    /** Finds the I/O loop of a session's thread. */
    private final Function<IoSession, Optional<IoLoop>> loops;
    private final Set<Multiplexer> tunnels = ConcurrentHashMap.newKeySet();
    private final RepeatLimiter repeats = new RepeatLimiter(TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    private final ClosedSessionLog closedSessions = new ClosedSessionLog(System::nanoTime);

    public MeshHandler(MeshSettings settings, MeshListener listener, ScheduledExecutorService timer,
            Function<IoSession, Optional<IoLoop>> loops) {
        this.settings = settings;
        this.listener = listener;
        this.timer = timer;
        this.loops = loops;
    }

    /** Returns the open tunnels of both sides. */
    public Set<Multiplexer> tunnels() {
        return tunnels;
    }

    @Override
    public void sessionOpened(IoSession session) {
        try {
            session.setAttribute(HANDSHAKE_TIMER, timer.schedule(() -> closeUnsecured(session),
                    settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("Mesh session {}: closing because the endpoint is shutting down", session.getId());
            session.closeNow();
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        if (event != SslEvent.SECURED || session.containsAttribute(TUNNEL)) {
            return;
        }
        String expectedName = (String) session.getAttribute(TunnelTlsFilter.PEER_NAME);
        MeshPeer peer;
        try {
            peer = PeerIdentities.of(ControlTls.peerCertificateChain(session), expectedName,
                    (InetSocketAddress) session.getRemoteAddress());
        } catch (CertificateException e) {
            fail(session, e);
            LOG.warn("Mesh session {} with {}: rejected the peer: {}", session.getId(), session.getRemoteAddress(),
                    e.getMessage());
            session.closeNow();
            return;
        }

        boolean serverSide = TunnelTlsFilter.isServerSide(session);
        Multiplexer tunnel = new Multiplexer(peer, !serverSide, settings, listener,
                new Transport(session, timer, loops),
                System::nanoTime);
        session.setAttribute(TUNNEL, tunnel);
        if (serverSide) {
            open(session, tunnel);
        } else {
            // NOTE: in TLS 1.3 the client completes its handshake before the server has checked
            // the client's certificate, so a server that rejects it closes a session that the
            // client already counts as secured. The dialling side therefore reports the tunnel
            // only when the first frame from the server arrives; every side starts with a PING.
            session.setAttribute(AWAITING_PEER, Boolean.TRUE);
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        Multiplexer tunnel = tunnel(session);
        if (tunnel == null) {
            session.closeNow();
            return;
        }
        if (session.removeAttribute(AWAITING_PEER) != null) {
            open(session, tunnel);
        }
        tunnel.receive((Frame) message);
    }

    private void open(IoSession session, Multiplexer tunnel) {
        cancelHandshakeTimer(session);
        tunnels.add(tunnel);
        LOG.info("Mesh tunnel with {}: opened ({}, {})", tunnel.peer(), role(session), cipherSuite(session));
        tunnel.start();
        completeConnect(session, tunnel);
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        Multiplexer tunnel = tunnel(session);
        if (tunnel == null) {
            return;
        }
        if (message instanceof IoBuffer frame) {
            tunnel.frameWritten(frame.limit());
        } else if (message instanceof OutboundData data) {
            tunnel.frameWritten(data.size());
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        Multiplexer tunnel = tunnel(session);
        if (!fail(session, cause)) {
            LOG.debug("Mesh session {} with {}: further error: {}", session.getId(), session.getRemoteAddress(),
                    cause.toString());
            session.closeNow();
            return;
        }
        String subject = tunnel != null ? "tunnel with " + tunnel.peer() : "session " + session.getId() + " with "
                + session.getRemoteAddress();
        if (cause instanceof ProtocolDecoderException && tunnel != null) {
            LOG.warn("Mesh {}: closing after invalid input: {}", subject, cause.getMessage());
            tunnel.protocolError(cause.getMessage());
            return;
        }
        if (cause instanceof WriteToClosedSessionException) {
            LOG.debug("Mesh {}: queued writes dropped at close", subject);
        } else if ((cause instanceof SSLException || cause instanceof ProtocolDecoderException) && tunnel == null) {
            logBeforeTunnel(session, subject, cause);
        } else if (cause instanceof SSLException || cause instanceof ProtocolDecoderException) {
            LOG.warn("Mesh {}: closing after an error: {}", subject, cause.toString());
        } else if (cause instanceof IOException) {
            LOG.info("Mesh {}: closing after an I/O error: {}", subject, cause.toString());
        } else {
            LOG.error("Mesh {}: closing after an unexpected error", subject, cause);
        }
        session.closeNow();
    }

    /**
     * Logs a failure before a tunnel exists, which any client of the port can repeat, such as
     * plain text or TLS without a client certificate: at WARN once a minute per peer address
     * and reason, and the repeats at DEBUG.
     */
    private void logBeforeTunnel(IoSession session, String subject, Throwable cause) {
        long suppressed = repeats.admit(ClosedSessionLog.hostOf(session) + " " + cause);
        if (suppressed < 0) {
            LOG.debug("Mesh {}: closing after an error: {}", subject, cause.toString());
        } else if (suppressed == 0) {
            LOG.warn("Mesh {}: closing after an error: {}. This port accepts only TLS from Weft nodes with a valid"
                    + " certificate", subject, cause.toString());
        } else {
            LOG.warn("Mesh {}: closing after an error: {}. This port accepts only TLS from Weft nodes with a valid"
                    + " certificate ({} more from this address since the last such line were logged at DEBUG)", subject,
                    cause.toString(), suppressed);
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        cancelHandshakeTimer(session);
        Multiplexer tunnel = tunnel(session);
        if (tunnel != null && tunnels.remove(tunnel)) {
            tunnel.transportClosed();
            LOG.info("Mesh tunnel with {}: closed{}", tunnel.peer(), RelayDialFilter.isRelayed(session)
                    ? " (relayed by the gateway at " + session.getRemoteAddress() + ")" : "");
        }
        Throwable failure = (Throwable) session.getAttribute(FAILURE);
        failConnect(session, failure != null ? failure : new IOException("The mesh connection to "
                + session.getRemoteAddress() + " closed before its TLS handshake completed"));
    }

    private void closeUnsecured(IoSession session) {
        Multiplexer tunnel = tunnel(session);
        if (RelayAcceptFilter.isSpliced(session)) {
            // A gateway's side of a relayed tunnel: the two nodes run the handshake between them.
            return;
        }
        if (session.isConnected() && (tunnel == null || !tunnels.contains(tunnel))) {
            String unfinished = RelayAcceptFilter.waitingReason(session).orElse("the TLS handshake"
                    + (TunnelTlsFilter.isServerSide(session) ? "" : " and the server's first frame") + " did not"
                    + " complete");
            String reason = unfinished + " within " + settings.handshakeTimeout().toMillis() + " ms";
            fail(session, new IOException("Closed the mesh connection to " + session.getRemoteAddress() + ": "
                    + reason));
            closedSessions.closing(session, reason, false);
            session.closeNow();
        }
    }

    /** Records the first failure of a session; returns false when one was recorded before. */
    private static boolean fail(IoSession session, Throwable cause) {
        return session.setAttributeIfAbsent(FAILURE, cause) == null;
    }

    private static void cancelHandshakeTimer(IoSession session) {
        Object timer = session.removeAttribute(HANDSHAKE_TIMER);
        if (timer instanceof Future<?> future) {
            future.cancel(false);
        }
    }

    @SuppressWarnings("unchecked")
    private static void completeConnect(IoSession session, MeshTunnel tunnel) {
        Object future = session.removeAttribute(CONNECT_FUTURE);
        if (future != null) {
            ((CompletableFuture<MeshTunnel>) future).complete(tunnel);
        }
    }

    @SuppressWarnings("unchecked")
    private static void failConnect(IoSession session, Throwable cause) {
        Object future = session.removeAttribute(CONNECT_FUTURE);
        if (future != null) {
            ((CompletableFuture<MeshTunnel>) future).completeExceptionally(cause);
        }
    }

    private static String role(IoSession session) {
        if (RelayDialFilter.isRelayed(session)) {
            return "relayed by the gateway at " + session.getRemoteAddress();
        }
        return session.isServer() ? "accepted" : "dialled";
    }

    private static String cipherSuite(IoSession session) {
        Object secured = session.getAttribute(SslFilter.SSL_SECURED);
        return secured instanceof SSLSession ssl ? ssl.getProtocol() + " " + ssl.getCipherSuite() : "TLS";
    }

    private static Multiplexer tunnel(IoSession session) {
        return (Multiplexer) session.getAttribute(TUNNEL);
    }

    /**
     * Writes frames to the session; closes it after the queued frames or at once. A flushed
     * close waits up to {@link #LINGER_MILLIS} for the peer to close too, so that a frame the
     * peer sends meanwhile, such as a PING, does not meet a closed socket. The reset that such
     * a frame would cause can discard the last frames, a GOAWAY among them, before the peer
     * reads them.
     */
    private record Transport(IoSession session, ScheduledExecutorService timer,
            Function<IoSession, Optional<IoLoop>> loops) implements FrameTransport {
        @Override
        public void write(IoBuffer frame) {
            session.write(frame);
        }

        @Override
        public Optional<IoLoop> ioLoop() {
            return session.isActive() ? loops.apply(session) : Optional.empty();
        }

        /**
         * Hands a DATA frame to the filter below the codec, the TLS filter, which encrypts its
         * header and payload where they are. {@link IoSession#write} would pass the frame to the
         * codec's encoder, which takes only whole buffers.
         */
        @Override
        public void write(OutboundData frame) {
            IoFilter.NextFilter belowCodec = session.getFilterChain().getNextFilter(CODEC_FILTER);
            if (belowCodec == null) {
                // The session closed and MINA removed its filters; the multiplexer is closing too.
                return;
            }
            belowCodec.filterWrite(session, new DefaultWriteRequest(frame, new DefaultWriteFuture(session)));
        }

        @Override
        public void close(boolean flush) {
            if (!flush) {
                session.closeNow();
                return;
            }
            if (!TunnelTlsFilter.closeAfterPeer(session)) {
                session.closeOnFlush();
                return;
            }
            try {
                timer.schedule(() -> closeLingering(session), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                session.closeOnFlush();
            }
        }

        private static void closeLingering(IoSession session) {
            if (!session.isClosing()) {
                LOG.debug("Mesh session {}: closing without the peer's close_notify after {} ms", session.getId(),
                        LINGER_MILLIS);
                session.closeNow();
            }
        }
    }
}
