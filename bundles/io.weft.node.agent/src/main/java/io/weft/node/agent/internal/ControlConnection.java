package io.weft.node.agent.internal;

import io.weft.control.ArtifactRequest;
import io.weft.control.ControlClient;
import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.ErrorMessage;
import io.weft.control.ExponentialBackoff;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.pki.PkiException;
import io.weft.pki.TlsContexts;
import io.weft.pki.TlsImplementation;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one connection to the manager's control address, with mutual TLS: the node
 * presents its key and chain and accepts a manager whose chain validates to the Weft root CA
 * and is not revoked by the applied desired state. It sends the HELLO, and reconnects forever
 * with exponential backoff and full jitter ({@link #BACKOFF_BASE} to {@link #BACKOFF_CAP}),
 * starting again from the base after a session that lived longer than {@link #STABLE_SESSION}.
 *
 * <p>Every method runs on the agent's single thread. Listener calls from MINA's threads are
 * handed to that thread, and those of a replaced client are ignored. The status accessors may
 * be called from any thread.
 */
final class ControlConnection {

    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
    static final Duration STABLE_SESSION = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);

    /** Callbacks for an accepted session, called on the agent's thread. */
    interface Events {
        /** Reports a session whose HELLO the manager accepted. */
        void connected(ControlSession session);

        /**
         * Delivers a message other than HELLO_ACK on an accepted session. Of the ERROR messages,
         * only those that refuse an artifact request arrive here.
         */
        void received(ControlSession session, ControlMessage message);
    }

    private final ScheduledExecutorService executor;
    private final ControlSettings settings;
    private final Supplier<Hello> hello;
    private final Supplier<Set<BigInteger>> revokedSerials;
    private final Events events;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final SecureRandom random;
    private final ExponentialBackoff backoff;

    private NodeIdentity identity;
    private ControlClient client;
    private int generation;
    private ScheduledFuture<?> reconnect;
    private ControlSession session;
    private long openedAtNanos;
    private String lastLoggedError;
    /** Error that the manager sent in the current session before accepting the HELLO, if any. */
    private String sessionError;
    /**
     * The manager's message when it revoked this identity. Later attempts fail in the TLS
     * handshake with an alert that gives no reason, so this message stays the one to show.
     */
    private String revokedBecause;

    private volatile Instant connectedSince;
    private volatile String lastError;
    private volatile Instant nextRetryAt;

    ControlConnection(ScheduledExecutorService executor, ControlSettings settings, Supplier<Hello> hello,
            Supplier<Set<BigInteger>> revokedSerials, Events events, Clock clock, LongSupplier nanoClock,
            SecureRandom random) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hello = Objects.requireNonNull(hello, "hello");
        this.revokedSerials = Objects.requireNonNull(revokedSerials, "revokedSerials");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.backoff = new ExponentialBackoff(BACKOFF_BASE, BACKOFF_CAP, random);
    }

    /** Connects with {@code newIdentity}, closing a connection made with an earlier identity. */
    void start(NodeIdentity newIdentity) {
        stop();
        identity = Objects.requireNonNull(newIdentity, "newIdentity");
        revokedBecause = null;
        backoff.reset();
        SSLContext tls;
        try {
            tls = TlsContexts.mutualTlsContext(identity.key(), identity.chain(), identity.root(), revokedSerials,
                    clock, random, TlsImplementation.BOUNCY_CASTLE);
        } catch (PkiException e) {
            lastError = "the TLS context cannot be built from the node identity: " + e.getMessage();
            LOG.error("Control: {}", lastError);
            return;
        }
        client = new ControlClient(tls, settings, new SessionListener(generation));
        connect();
    }

    /** Closes the connection and stops reconnecting. */
    void stop() {
        generation++;
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        session = null;
        connectedSince = null;
        nextRetryAt = null;
    }

    /** Returns the session whose HELLO the manager accepted, if connected. */
    Optional<ControlSession> session() {
        return Optional.ofNullable(session).filter(ControlSession::isConnected);
    }

    Instant connectedSince() {
        return connectedSince;
    }

    String lastError() {
        return lastError;
    }

    Instant nextRetryAt() {
        return nextRetryAt;
    }

    private void connect() {
        reconnect = null;
        nextRetryAt = null;
        InetSocketAddress address = new InetSocketAddress(identity.record().controlHost(),
                identity.record().controlPort());
        if (address.isUnresolved()) {
            failed("the host '" + address.getHostString() + "' of the control address cannot be resolved");
            return;
        }
        int attempt = generation;
        client.connect(address).whenComplete((opened, failure) -> {
            if (failure != null) {
                runOnAgentThread(attempt, () -> failed(HandshakeFailures.describe(failure, serial())));
            }
        });
    }

    private void failed(String reason) {
        lastError = "connecting to " + identity.record().controlAddress() + " failed: " + reason;
        logOnce(lastError);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (reconnect != null || client == null) {
            return;
        }
        Duration delay = backoff.nextDelay();
        nextRetryAt = clock.instant().plus(delay);
        reconnect = executor.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void opened() {
        openedAtNanos = nanoClock.getAsLong();
        sessionError = null;
    }

    private void handle(ControlSession from, ControlMessage message) {
        if (message instanceof HelloAck ack) {
            accepted(from, ack);
        } else if (message instanceof ErrorMessage error && error.code().equals(ArtifactRequest.NOT_AVAILABLE)) {
            if (from == session) {
                events.received(from, message);
            }
        } else if (message instanceof ErrorMessage error) {
            lastError = "the manager reported " + error.code() + ": " + error.message();
            sessionError = lastError;
            if (ErrorMessage.NODE_REVOKED.equals(error.code())) {
                revokedBecause = lastError;
            }
            LOG.warn("Control: {}", lastError);
        } else if (from == session) {
            events.received(from, message);
        }
    }

    private void accepted(ControlSession from, HelloAck ack) {
        if (!ack.accepted()) {
            lastError = "the manager rejected the node: " + ack.reason();
            sessionError = lastError;
            logOnce(lastError);
            return;
        }
        session = from;
        connectedSince = clock.instant();
        lastError = null;
        revokedBecause = null;
        lastLoggedError = null;
        LOG.info("Control: connected to {} as node '{}' (protocol {}, heartbeat every {} s)",
                identity.record().controlAddress(), identity.record().nodeId(), ack.protocolVersion(),
                ack.heartbeatIntervalSeconds());
        events.connected(from);
    }

    private void closed(ControlSession closedSession) {
        Duration lived = Duration.ofNanos(nanoClock.getAsLong() - openedAtNanos);
        boolean wasAccepted = closedSession == session;
        session = null;
        connectedSince = null;
        if (lived.compareTo(STABLE_SESSION) > 0) {
            backoff.reset();
        }
        if (wasAccepted) {
            lastError = "the connection closed after " + lived.toSeconds() + " s";
            LOG.info("Control: the connection to {} closed after {} s", identity.record().controlAddress(),
                    lived.toSeconds());
        } else if (sessionError == null) {
            // Replaces an older error such as "the connection closed after 83 s", which would
            // hide that the manager now rejects this node on every attempt.
            lastError = rejectionReason(closedSession);
            logOnce(lastError);
        }
        scheduleReconnect();
    }

    /**
     * Describes why a session closed before the manager accepted the HELLO: the revocation the
     * manager reported earlier, else the TLS alert that closed the session, else a guess.
     */
    private String rejectionReason(ControlSession closedSession) {
        if (revokedBecause != null) {
            return revokedBecause + " (the manager now rejects the certificate with serial "
                    + HandshakeFailures.hex(serial()) + ")";
        }
        return closedSession.closeCause()
                .map(cause -> HandshakeFailures.describe(cause, serial()))
                .orElseGet(() -> HandshakeFailures.closedBeforeHelloAck(serial()));
    }

    /** Runs {@code task} on the agent thread unless the client of {@code owner} was replaced or the agent stopped. */
    private void runOnAgentThread(int owner, Runnable task) {
        try {
            executor.execute(() -> {
                if (owner == generation) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Control: the agent stopped, so an event of client {} is dropped", owner);
        }
    }

    /** Logs an error at WARN the first time and when it changes, and repeats at DEBUG. */
    private void logOnce(String error) {
        if (error.equals(lastLoggedError)) {
            LOG.debug("Control: {}", error);
        } else {
            LOG.warn("Control: {}; retrying with backoff", error);
            lastLoggedError = error;
        }
    }

    /** Returns the serial of this node's certificate, null before the first identity. */
    private BigInteger serial() {
        return identity == null || identity.chain().isEmpty() ? null : identity.chain().get(0).getSerialNumber();
    }

    /** Hands the events of one client to the agent thread, tagged with the client's generation. */
    private final class SessionListener implements ControlListener {

        private final int owner;

        SessionListener(int owner) {
            this.owner = owner;
        }

        @Override
        public void sessionOpened(ControlSession opened) {
            opened.send(hello.get());
            onAgentThread(ControlConnection.this::opened);
        }

        @Override
        public void messageReceived(ControlSession from, ControlMessage message) {
            onAgentThread(() -> handle(from, message));
        }

        @Override
        public void sessionClosed(ControlSession closedSession) {
            onAgentThread(() -> closed(closedSession));
        }

        private void onAgentThread(Runnable task) {
            runOnAgentThread(owner, task);
        }
    }
}
