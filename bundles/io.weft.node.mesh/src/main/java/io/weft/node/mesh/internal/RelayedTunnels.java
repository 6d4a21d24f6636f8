package io.weft.node.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relayed tunnels: a tunnel between two edges whose TCP connections meet in a gateway, which
 * splices them ({@link MeshEndpoint#dialRelayed}). The two edges run mutual TLS between their
 * own identities over the splice, so the gateway relays records it can neither read nor alter,
 * and each hop encrypts the payload once. An end-to-end session inside the tunnels to a
 * gateway encrypts it twice on each edge.
 *
 * <p>The first stream to a node without a direct tunnel opens in the end-to-end session with
 * that node, and the source requests a relayed tunnel from its gateway at the same time:
 * <ol>
 * <li>the source opens a stream to {@link #TARGET} on its tunnel to the gateway, with the
 *     destination in the OPEN metadata;</li>
 * <li>the gateway issues a ticket, opens a stream to {@link #TARGET} on its tunnel to the
 *     destination with the source and the ticket ({@link #TICKET}), and writes the ticket back
 *     on the source's stream;</li>
 * <li>both nodes dial the gateway's listener with the ticket, and once the TLS handshake
 *     between them passed, later streams to the destination take the relayed tunnel as they
 *     take a direct one.</li>
 * </ol>
 * When any step fails, for example with a gateway that does not relay tunnels, streams keep
 * taking the end-to-end session, and the source requests again after {@link #RETRY_AFTER_FAILURE}.
 * A relayed tunnel that the source opened closes once it has had no streams for the idle
 * time of end-to-end sessions. Thread-safe.
 */
final class RelayedTunnels {

    /** Target of the streams that ask for and offer a relayed tunnel. */
    static final String TARGET = "weft:relayed-tunnel";
    /** OPEN metadata of an offer: the ticket that the destination presents to the gateway. */
    static final String TICKET = "weft-relay-ticket";
    /** Time after a failed attempt before the source requests a relayed tunnel to the same node again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    /** Maximum length of the ticket text that a source reads from its gateway. */
    private static final int MAX_TICKET_CHARS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(RelayedTunnels.class);

    private final MeshEndpoint endpoint;
    private final Duration idleClose;
    private final LongSupplier nanoClock;
    /** Attempts per destination in lower case: -1 while one runs, else the time before the next. Guarded by itself. */
    private final Map<String, Long> attempts = new HashMap<>();
    /** Relayed tunnels of this node with the name of their gateway. */
    private final Map<MeshTunnel, String> gateways = new ConcurrentHashMap<>();
    /** Relayed tunnels that this node asked for, with the time they last had no streams, or -1 while they have some. */
    private final Map<MeshTunnel, Long> emptySince = new ConcurrentHashMap<>();

    RelayedTunnels(MeshEndpoint endpoint, Duration idleClose, LongSupplier nanoClock) {
        this.endpoint = endpoint;
        this.idleClose = idleClose;
        this.nanoClock = nanoClock;
    }

    /** Returns the name of the gateway that relays {@code tunnel}, empty for a tunnel of its own connection. */
    Optional<String> gatewayOf(MeshTunnel tunnel) {
        return Optional.ofNullable(gateways.get(tunnel));
    }

    /**
     * On the source: requests a relayed tunnel to {@code destination} from the gateway of {@code via},
     * unless an attempt is pending or failed less than {@link #RETRY_AFTER_FAILURE} ago.
     */
    void request(String destination, MeshTunnel via) {
        String key = destination.toLowerCase(Locale.ROOT);
        synchronized (attempts) {
            Long state = attempts.get(key);
            if (state != null && (state < 0 || nanoClock.getAsLong() - state < 0)) {
                return;
            }
            attempts.put(key, -1L);
        }
        MeshStream stream;
        try {
            stream = via.openStream(TARGET, Map.of(MeshNode.DESTINATION, destination), new Request(destination, via));
        } catch (IllegalStateException e) {
            failed(destination, via, e.getMessage());
            return;
        }
        stream.shutdownOutput();
        LOG.debug("Mesh: asking gateway {} for a relayed tunnel to '{}'", via.peer(), destination);
    }

    /**
     * On a gateway: handles a request of {@code source}, the peer of the request's tunnel, for a
     * relayed tunnel to the node at the other end of {@code toDestination}.
     */
    MeshStreamHandler offer(MeshStream request, String source, String destination, MeshTunnel toDestination) {
        String ticket;
        try {
            ticket = endpoint.offerRelay(source, destination);
            MeshStream offer = toDestination.openStream(TARGET, Map.of(MeshNode.SOURCE, source, TICKET, ticket),
                    Discard.INSTANCE);
            offer.shutdownOutput();
        } catch (IllegalStateException e) {
            LOG.info("Mesh relay: no relayed tunnel from '{}' to '{}': {}", source, destination, e.getMessage());
            request.reset(ErrorCode.REFUSED_STREAM, e.getMessage());
            return null;
        }
        request.write(ByteBuffer.wrap(ticket.getBytes(StandardCharsets.US_ASCII)));
        request.shutdownOutput();
        LOG.debug("Mesh relay: offered a relayed tunnel from '{}' to '{}'", source, destination);
        return Discard.INSTANCE;
    }

    /**
     * On the destination: dials the gateway of {@code offer}'s tunnel with the offer's ticket,
     * expecting {@code source} at the far end.
     */
    MeshStreamHandler accept(MeshStream offer, String source) {
        MeshTunnel gateway = offer.tunnel();
        String ticket = offer.metadata().get(TICKET);
        if (ticket == null) {
            LOG.info("Mesh: rejected a relayed tunnel from '{}' offered by {}: the offer has no ticket", source,
                    gateway.peer());
            offer.reset(ErrorCode.PROTOCOL_ERROR, "the offer of a relayed tunnel has no " + TICKET + " entry");
            return null;
        }
        try {
            dial(gateway, ticket, source, false);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.info("Mesh: rejected a relayed tunnel from '{}' offered by {}: {}", source, gateway.peer(),
                    e.getMessage());
            offer.reset(ErrorCode.PROTOCOL_ERROR, e.getMessage());
            return null;
        }
        offer.shutdownOutput();
        return Discard.INSTANCE;
    }

    /** Closes the relayed tunnels that this node asked for and that had no streams for the idle time. */
    void tick() {
        long now = nanoClock.getAsLong();
        gateways.keySet().removeIf(tunnel -> !tunnel.isOpen());
        emptySince.keySet().removeIf(tunnel -> !tunnel.isOpen());
        for (Map.Entry<MeshTunnel, Long> entry : emptySince.entrySet()) {
            MeshTunnel tunnel = entry.getKey();
            if (tunnel.streamCount() > 0) {
                entry.setValue(-1L);
            } else if (entry.getValue() < 0) {
                entry.setValue(now);
            } else if (now - entry.getValue() >= idleClose.toNanos()) {
                LOG.debug("Mesh: closing the relayed tunnel to {} after {} s without streams", tunnel.peer(),
                        idleClose.toSeconds());
                emptySince.remove(tunnel);
                tunnel.goAway("the relayed tunnel had no streams for " + idleClose.toSeconds() + " s");
            }
        }
    }

    private void dial(MeshTunnel gateway, String ticket, String peer, boolean source) {
        String gatewayName = gateway.peer().fullName();
        endpoint.dialRelayed(gateway.peer().remoteAddress(), ticket, peer, source).whenComplete((tunnel, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (source) {
                    failed(peer, gateway, cause.getMessage());
                } else {
                    LOG.info("Mesh: the relayed tunnel from '{}' through gateway '{}' failed: {}", peer, gatewayName,
                            cause.getMessage());
                }
                return;
            }
            gateways.put(tunnel, gatewayName);
            if (source) {
                emptySince.put(tunnel, -1L);
                synchronized (attempts) {
                    attempts.remove(peer.toLowerCase(Locale.ROOT));
                }
            }
            LOG.info("Mesh: relayed tunnel {} {} through gateway '{}' open", source ? "to" : "from", tunnel.peer(),
                    gatewayName);
        });
    }

    private void failed(String destination, MeshTunnel via, String reason) {
        synchronized (attempts) {
            attempts.put(destination.toLowerCase(Locale.ROOT), nanoClock.getAsLong() + RETRY_AFTER_FAILURE.toNanos());
        }
        LOG.info("Mesh: no relayed tunnel to '{}' through {}: {}. Its streams take the end-to-end session through the"
                + " gateway, and the next attempt starts in {} s at the earliest", destination, via.peer(), reason,
                RETRY_AFTER_FAILURE.toSeconds());
    }

    /** The source's request: reads the ticket, then dials the gateway once the gateway ended the stream. */
    private final class Request implements MeshStreamHandler {
        private final String destination;
        private final MeshTunnel via;
        private final ByteArrayOutputStream ticket = new ByteArrayOutputStream();

        Request(String destination, MeshTunnel via) {
            this.destination = destination;
            this.via = via;
        }

        @Override
        public synchronized void onData(MeshStream stream, ByteBuffer data) {
            int length = data.remaining();
            if (ticket.size() + length > MAX_TICKET_CHARS) {
                stream.reset(ErrorCode.PROTOCOL_ERROR, "the relay ticket is longer than " + MAX_TICKET_CHARS
                        + " bytes");
                return;
            }
            byte[] bytes = new byte[length];
            data.get(bytes);
            ticket.write(bytes, 0, length);
            stream.consumed(length);
        }

        @Override
        public synchronized void onFin(MeshStream stream) {
            try {
                dial(via, ticket.toString(StandardCharsets.US_ASCII), destination, true);
            } catch (IllegalArgumentException | IllegalStateException e) {
                failed(destination, via, e.getMessage());
            }
        }

        @Override
        public void onReset(MeshStream stream, ErrorCode code, String reason) {
            failed(destination, via, "the gateway refused (" + code + ": " + reason + ")");
        }
    }

    /** Handler of a signalling stream that carries nothing more. */
    private enum Discard implements MeshStreamHandler {
        INSTANCE;

        @Override
        public void onData(MeshStream stream, ByteBuffer data) {
            stream.consumed(data.remaining());
        }
    }
}
