package io.weft.node.mesh.internal;

import io.weft.mesh.EndToEndSession;
import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end sessions of a node: one per destination that this node reaches through a
 * gateway, shared by all its streams to that node, and those that other nodes opened to this
 * one. A session that this node opened closes once it has had no streams for
 * {@code idleClose}, so a burst of connections shares one handshake while an unused pair
 * costs nothing for long. Thread-safe.
 */
final class EndToEndSessions implements AutoCloseable {

    /** Resolves the tunnel to a gateway that leads to a destination. */
    interface GatewayRoute {
        MeshTunnel gatewayTo(String destination) throws StreamRejectedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndSessions.class);

    private final SSLContext tls;
    private final MeshSettings settings;
    private final MeshListener listener;
    private final Duration idleClose;
    private final LongSupplier nanoClock;
    /** Sessions that this node opened, by the destination's full name in lower case. Guarded by itself. */
    private final Map<String, EndToEndSession> opened = new HashMap<>();
    /** Every open session, opened or accepted, with the time it last had no streams, or -1 while it has some. */
    private final Map<EndToEndSession, Long> emptySince = new ConcurrentHashMap<>();
    /** Every open session by its tunnel, for the streams that a policy or revocation check looks up. */
    private final Map<MeshTunnel, EndToEndSession> byTunnel = new ConcurrentHashMap<>();

    /**
     * @param listener receives the tunnel of each session once its peer is proven, and the streams that peers open
     */
    EndToEndSessions(SSLContext tls, MeshSettings settings, MeshListener listener, Duration idleClose,
            LongSupplier nanoClock) {
        this.tls = tls;
        this.settings = settings;
        this.listener = listener;
        this.idleClose = idleClose;
        this.nanoClock = nanoClock;
    }

    /**
     * Opens a stream to {@code target} on node {@code destination} in the session with that
     * node, after opening the session through the gateway that {@code route} returns when none
     * is open.
     *
     * @throws StreamRejectedException when no gateway leads to the destination or no stream can open
     */
    MeshStream openStream(String destination, GatewayRoute route, String target, Map<String, String> metadata,
            MeshStreamHandler handler) throws StreamRejectedException {
        IllegalStateException failure = null;
        // A session that starts to close between the look-up and the OPEN gets one replacement.
        for (int attempt = 0; attempt < 2; attempt++) {
            EndToEndSession session = sessionTo(destination, route, metadata);
            try {
                return session.tunnel().openStream(target, metadata, handler);
            } catch (IllegalStateException e) {
                failure = e;
                forget(destination, session);
            }
        }
        throw new StreamRejectedException(ErrorCode.REFUSED_STREAM, failure.getMessage());
    }

    /** Accepts a carrier that node {@code source} opened through a gateway, and returns its handler. */
    MeshStreamHandler accept(MeshStream carrier, String source) {
        EndToEndSession session = EndToEndSession.accept(tls, carrier, source, settings, listener);
        track(session, nanoClock.getAsLong());
        return session.carrierHandler();
    }

    /** Returns the session whose tunnel is {@code tunnel}, empty for a tunnel of a connection. */
    Optional<EndToEndSession> sessionOf(MeshTunnel tunnel) {
        return Optional.ofNullable(byTunnel.get(tunnel));
    }

    /** Returns the open sessions, opened and accepted. */
    List<EndToEndSession> sessions() {
        return List.copyOf(emptySince.keySet());
    }

    /** Stops tracking the session of {@code tunnel}, which has closed. */
    void closed(MeshTunnel tunnel) {
        EndToEndSession session = byTunnel.remove(tunnel);
        if (session != null) {
            emptySince.remove(session);
            forget(session.peerName(), session);
        }
    }

    /** Closes the sessions whose peer has a serial in {@code revokedSerials}, with all their streams. */
    void closeRevoked(Set<BigInteger> revokedSerials, long revision) {
        for (EndToEndSession session : sessions()) {
            Optional<BigInteger> serial = session.peerCertificate().map(certificate -> certificate.getSerialNumber());
            if (serial.isPresent() && revokedSerials.contains(serial.get())) {
                LOG.warn("Mesh: closing the end-to-end session with '{}' because state revision {} revokes its"
                        + " certificate serial {}", session.peerName(), revision, serial.get().toString(16));
                forget(session.peerName(), session);
                session.close(ErrorCode.NOT_ALLOWED, "the certificate of node '" + session.peerName()
                        + "' is revoked");
            }
        }
    }

    /** Runs the timers of every session and closes the sessions that this node opened and no longer uses. */
    void tick() {
        long now = nanoClock.getAsLong();
        for (EndToEndSession session : sessions()) {
            if (!session.tunnel().isOpen()) {
                // Its listener normally reported the close already. This also covers a session that
                // closed before this class tracked it.
                closed(session.tunnel());
                continue;
            }
            try {
                session.tick();
                closeIfUnused(session, now);
            } catch (RuntimeException e) {
                LOG.error("Mesh: the timers of the {} failed", session, e);
            }
        }
    }

    @Override
    public void close() {
        for (EndToEndSession session : sessions()) {
            session.close(ErrorCode.NO_ERROR, "the node's mesh stopped");
        }
    }

    private EndToEndSession sessionTo(String destination, GatewayRoute route, Map<String, String> metadata)
            throws StreamRejectedException {
        String key = destination.toLowerCase(Locale.ROOT);
        synchronized (opened) {
            EndToEndSession session = opened.get(key);
            if (session != null && session.isOpenForStreams()) {
                return session;
            }
            Optional<EndToEndSession> accepted = acceptedFrom(destination);
            if (accepted.isPresent()) {
                return accepted.get();
            }
            MeshTunnel via = route.gatewayTo(destination);
            try {
                session = EndToEndSession.open(tls, via, metadata, destination, settings, listener);
            } catch (IllegalStateException e) {
                throw new StreamRejectedException(ErrorCode.REFUSED_STREAM, e.getMessage());
            }
            LOG.debug("Mesh: opening an end-to-end session with '{}' through {}", destination, via.peer());
            opened.put(key, session);
            track(session, -1L);
            return session;
        }
    }

    /**
     * Returns an established session that {@code destination} opened to this node and that
     * takes streams, so that two nodes that open streams to each other share one session.
     */
    private Optional<EndToEndSession> acceptedFrom(String destination) {
        return emptySince.keySet().stream()
                .filter(session -> !session.tunnel().isDialer())
                .filter(session -> session.peerName().equalsIgnoreCase(destination))
                .filter(session -> session.isEstablished() && session.isOpenForStreams())
                .findFirst();
    }

    private void closeIfUnused(EndToEndSession session, long now) {
        if (session.tunnel().streamCount() > 0) {
            emptySince.replace(session, -1L);
            return;
        }
        long since = emptySince.getOrDefault(session, now);
        if (since < 0) {
            emptySince.replace(session, now);
            return;
        }
        if (now - since < idleClose.toNanos()) {
            return;
        }
        synchronized (opened) {
            // Only the opener closes an unused session, and a stream that opens meanwhile keeps it.
            if (opened.get(session.peerName().toLowerCase(Locale.ROOT)) != session
                    || session.tunnel().streamCount() > 0) {
                return;
            }
            opened.remove(session.peerName().toLowerCase(Locale.ROOT));
        }
        LOG.debug("Mesh: closing the end-to-end session with '{}' after {} s without streams", session.peerName(),
                idleClose.toSeconds());
        session.goAway("the session had no streams for " + idleClose.toSeconds() + " s");
    }

    private void track(EndToEndSession session, long emptySinceNanos) {
        emptySince.put(session, emptySinceNanos);
        byTunnel.put(session.tunnel(), session);
    }

    private void forget(String destination, EndToEndSession session) {
        synchronized (opened) {
            opened.remove(destination.toLowerCase(Locale.ROOT), session);
        }
    }
}
