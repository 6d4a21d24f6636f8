package io.weft.control.internal;

import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.ErrorMessage;
import io.weft.control.FrameType.Sender;
import io.weft.control.Heartbeat;
import io.weft.control.HeartbeatAck;
import io.weft.control.HelloAck;
import io.weft.control.RepeatLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolEncoderException;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA handler of control sessions on either side: enforces the handshake and HELLO timeouts
 * and the message order, responds to and sends heartbeats, closes idle and failed sessions,
 * and passes everything else to the {@link ControlListener}.
 */
public final class ControlHandler extends IoHandlerAdapter {

    /** Future that a client completes once the session's TLS handshake completes. */
    public static final AttributeKey CONNECT_FUTURE = new AttributeKey(ControlHandler.class, "connectFuture");

    /** Listener of one session, used in place of the handler's listener when set before the session opens. */
    public static final AttributeKey LISTENER = new AttributeKey(ControlHandler.class, "listener");

    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
    private static final AttributeKey STATE = new AttributeKey(ControlHandler.class, "state");

    /** Added to a failed TLS handshake's log line: what the port expects, for a stray client. */
    private static final String HANDSHAKE_HINT = ". The TLS handshake failed: this port accepts only TLS 1.2 or 1.3"
            + " from Weft nodes with a valid certificate of this manager's CA";

    /** How many causes of an error {@link #describe} reads at most, so a cyclic chain ends. */
    private static final int MAX_CAUSES = 8;

    private final Sender localSide;
    private final ControlSettings settings;
    private final ControlListener listener;
    private final ScheduledExecutorService timer;
    private final RepeatLimiter repeats = new RepeatLimiter(TimeUnit.MINUTES.toNanos(1), System::nanoTime);

    public ControlHandler(Sender localSide, ControlSettings settings, ControlListener listener,
            ScheduledExecutorService timer) {
        this.localSide = localSide;
        this.settings = settings;
        this.listener = listener;
        this.timer = timer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void sessionCreated(IoSession session) {
        var connected = (CompletableFuture<ControlSession>) session.removeAttribute(CONNECT_FUTURE);
        var controlSession = new DefaultControlSession(session, localSide, settings);
        session.setAttribute(STATE, new SessionState(controlSession, connected));
    }

    /**
     * Starts the handshake timeout. It runs from the TCP connection and covers the wait for a
     * handshake slot on the manager, which is why its default is three times the HELLO timeout.
     */
    @Override
    public void sessionOpened(IoSession session) {
        SessionState state = state(session);
        try {
            state.setHelloTimer(timer.schedule(() -> closeWithoutHandshake(session),
                    settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("Control session {}: closing because the endpoint is shutting down", session.getId());
            session.closeNow();
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        if (event != SslEvent.SECURED) {
            return;
        }
        SessionState state = state(session);
        if (state.markOpened()) {
            restartHelloTimer(session, state);
            state.controlSession().storePeerChain();
            listener(session).sessionOpened(state.controlSession());
            state.completeConnect();
        }
    }

    /**
     * Replaces the handshake timeout with the HELLO timeout, so a handshake that waited for the
     * CPU does not use up the peer's time to say HELLO.
     */
    private void restartHelloTimer(IoSession session, SessionState state) {
        state.cancelHelloTimer();
        try {
            state.setHelloTimer(timer.schedule(() -> closeWithoutHello(session),
                    settings.helloTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            session.closeNow();
        }
    }

    @Override
    public void messageReceived(IoSession session, Object received) {
        SessionState state = state(session);
        ControlMessage message = (ControlMessage) received;
        Optional<String> violation = MessageOrder.violation(localSide, state.isHelloDone(), message);
        if (violation.isPresent()) {
            closeAfterViolation(session, state, violation.get());
            return;
        }

        switch (message.type()) {
            case HELLO -> {
                state.completeHello();
                Heartbeats.watchReads(session, settings, settings.heartbeatIntervalSeconds());
                listener(session).messageReceived(state.controlSession(), message);
            }
            case HELLO_ACK -> receiveHelloAck(session, state, (HelloAck) message);
            case HEARTBEAT -> session.write(new HeartbeatAck(((Heartbeat) message).sequence()));
            case HEARTBEAT_ACK -> {
                // Its arrival resets MINA's reader idle time, which is all it is for.
            }
            default -> listener(session).messageReceived(state.controlSession(), message);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        SessionState state = state(session);
        if (status == IdleStatus.READER_IDLE) {
            LOG.info("Control session {} with {}: closing because nothing arrived for {} s, more than {} missed "
                    + "heartbeats", session.getId(), session.getRemoteAddress(),
                    session.getConfig().getReaderIdleTime(), settings.maxMissedHeartbeats());
            session.closeNow();
        } else if (status == IdleStatus.WRITER_IDLE && localSide == Sender.NODE && state.isHelloDone()) {
            session.write(new Heartbeat(state.nextHeartbeatSequence()));
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        if (cause instanceof ProtocolEncoderException) {
            // The write future of the message fails too, and the session itself is intact.
            LOG.warn("Control session {} with {}: a message was not sent: {}", session.getId(),
                    session.getRemoteAddress(), cause.getMessage());
            return;
        }
        SessionState state = state(session);
        if (state == null || !state.recordFailure(cause)) {
            session.closeNow();
            return;
        }
        state.controlSession().closedBy(cause);

        logFailure(session, cause);
        if (cause instanceof ProtocolDecoderException && session.isConnected()) {
            session.write(new ErrorMessage(ErrorMessage.PROTOCOL_VIOLATION, cause.getMessage()));
            session.closeOnFlush();
        } else if (cause instanceof SSLException) {
            // The TLS filter has queued the fatal alert with the reason for the peer. The
            // handshake timeout still closes a session whose peer does not read it.
            session.closeOnFlush();
        } else {
            session.closeNow();
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        SessionState state = state(session);
        if (state == null) {
            return;
        }
        state.cancelHelloTimer();
        if (state.isOpened()) {
            listener(session).sessionClosed(state.controlSession());
        }
        Throwable failure = state.failure();
        state.failConnect(failure != null ? failure : new IOException("The control session with "
                + session.getRemoteAddress() + " closed before its TLS handshake completed"));
        LOG.debug("Control session {} with {}: closed", session.getId(), session.getRemoteAddress());
    }

    private void receiveHelloAck(IoSession session, SessionState state, HelloAck ack) {
        state.completeHello();
        if (ack.accepted()) {
            Heartbeats.sendAndWatch(session, settings, ack.heartbeatIntervalSeconds());
            listener(session).messageReceived(state.controlSession(), ack);
            return;
        }
        LOG.warn("Control session {} with {}: the manager rejected the HELLO: {}", session.getId(),
                session.getRemoteAddress(), ack.reason());
        listener(session).messageReceived(state.controlSession(), ack);
        session.closeNow();
    }

    private void closeWithoutHandshake(IoSession session) {
        SessionState state = state(session);
        if (state == null || state.isOpened() || !session.isConnected()) {
            return;
        }
        LOG.info("Control session {} with {}: closing because the TLS handshake did not complete within {} ms of"
                + " the TCP connection", session.getId(), session.getRemoteAddress(),
                settings.handshakeTimeout().toMillis());
        session.closeNow();
    }

    private void closeWithoutHello(IoSession session) {
        SessionState state = state(session);
        if (state == null || state.isHelloDone() || !session.isConnected()) {
            return;
        }
        String missing = localSide == Sender.MANAGER ? "HELLO" : "HELLO_ACK";
        LOG.info("Control session {} with {}: closing because no {} arrived within {} ms of the TLS handshake",
                session.getId(), session.getRemoteAddress(), missing, settings.helloTimeout().toMillis());
        session.closeNow();
    }

    private void closeAfterViolation(IoSession session, SessionState state, String violation) {
        state.recordFailure(new IOException("Protocol violation: " + violation));
        LOG.warn("Control session {} with {}: closing after a protocol violation: {}", session.getId(),
                session.getRemoteAddress(), violation);
        session.write(new ErrorMessage(ErrorMessage.PROTOCOL_VIOLATION, "Protocol violation: " + violation));
        session.closeOnFlush();
    }

    private void logFailure(IoSession session, Throwable cause) {
        if (cause instanceof WriteToClosedSessionException) {
            // Writes still queued when a session closes fail this way; the close was logged.
            LOG.debug("Control session {} with {}: queued writes dropped at close", session.getId(),
                    session.getRemoteAddress());
        } else if (cause instanceof ProtocolDecoderException || cause instanceof SSLException) {
            logRepeatable(session, cause);
        } else if (cause instanceof IOException) {
            LOG.info("Control session {} with {}: closing after an I/O error: {}", session.getId(),
                    session.getRemoteAddress(), cause.toString());
        } else {
            LOG.error("Control session {} with {}: closing after an unexpected error", session.getId(),
                    session.getRemoteAddress(), cause);
        }
    }

    /**
     * Logs a failure that a peer can cause at will, such as garbage bytes, a client without a
     * certificate or a revoked node that retries, at WARN once a minute per peer address and
     * reason, and the repeats at DEBUG.
     */
    private void logRepeatable(IoSession session, Throwable cause) {
        String description = describe(cause);
        boolean strayClient = localSide == Sender.MANAGER && cause instanceof SSLException
                && !state(session).isOpened();
        String hint = strayClient ? HANDSHAKE_HINT : "";
        long suppressed = repeats.admit(host(session) + " " + description);
        if (suppressed < 0) {
            LOG.debug("Control session {} with {}: closing after an error: {}{}", session.getId(),
                    session.getRemoteAddress(), description, hint);
        } else if (suppressed == 0) {
            LOG.warn("Control session {} with {}: closing after an error: {}{}", session.getId(),
                    session.getRemoteAddress(), description, hint);
        } else {
            LOG.warn("Control session {} with {}: closing after an error: {}{} ({} more from this address in the"
                    + " last minute were logged at DEBUG)", session.getId(), session.getRemoteAddress(), description,
                    hint, suppressed);
        }
    }

    private static String host(IoSession session) {
        return session.getRemoteAddress() instanceof InetSocketAddress address ? address.getHostString()
                : String.valueOf(session.getRemoteAddress());
    }

    /**
     * Returns the error and every message of its causes that adds to the one before. A TLS
     * alert from Bouncy Castle's JSSE names only the alert, such as certificate_unknown(46),
     * and the trust manager's reason is in its cause.
     */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        String previous = String.valueOf(error.getMessage());
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !previous.contains(message)) {
                text.append(": ").append(message);
                previous = message;
            }
        }
        return text.toString();
    }

    private ControlListener listener(IoSession session) {
        return session.getAttribute(LISTENER) instanceof ControlListener own ? own : listener;
    }

    private static SessionState state(IoSession session) {
        return (SessionState) session.getAttribute(STATE);
    }
}
