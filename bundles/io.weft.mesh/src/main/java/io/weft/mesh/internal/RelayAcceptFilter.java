package io.weft.mesh.internal;

import io.weft.mesh.SplicedTunnel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.future.DefaultWriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.transport.socket.nio.NioSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of relayed tunnels, first in the acceptor's filter chain. A connection
 * whose first byte starts a {@link RelayPreamble} presents a ticket that this gateway issued
 * with {@link #offer}; the two connections that present the same ticket are spliced, and
 * every byte that one sends is written to the other. The two nodes run a mutual TLS tunnel
 * over the splice, so the gateway relays records that it can neither read nor alter, and
 * spends no cryptography on them. Every other connection passes on to the TLS filter.
 *
 * <p>A ticket names the two nodes that the gateway's own tunnels authenticated when it was
 * issued, works once, and expires after the time given to {@link #offer}; a pair has one
 * ticket at a time, so a node cannot make another dial the gateway over and over. The first
 * connection of a pair waits, without reading, until the second arrives; the handshake
 * timeout of {@link MeshHandler} closes it when none does. Bytes that one side sends faster
 * than the other reads wait in the gateway up to {@link #HIGH_WATER_BYTES}, and then the
 * sending side's reads stop until half of them are written.
 */
public final class RelayAcceptFilter extends IoFilterAdapter {

    /** Queued bytes towards one side beyond which the gateway stops reading from the other. */
    static final int HIGH_WATER_BYTES = 1024 * 1024;
    /** Tickets issued and not yet used or expired, at most. */
    static final int MAX_OFFERS = 4096;
    /** How long a closing splice waits for its queued bytes before it closes the other side anyway. */
    private static final long LINGER_MILLIS = 3_000;

    private static final Logger LOG = LoggerFactory.getLogger(RelayAcceptFilter.class);
    private static final AttributeKey STATE = new AttributeKey(RelayAcceptFilter.class, "state");
    /** State of a session whose first byte started a TLS record: the filter passes everything on. */
    private static final Object TLS = "tls";
    /** State of a session closed for a bad preamble or ticket: the filter drops what else it reads. */
    private static final Object REJECTED = "rejected";

    private final SecureRandom random;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final ClosedSessionLog closedSessions;
    /** Tickets that wait for their connections, by ticket. Guarded by itself. */
    private final Map<String, Offer> offers = new HashMap<>();
    private final Set<Splice> splices = ConcurrentHashMap.newKeySet();

    public RelayAcceptFilter(SecureRandom random, ScheduledExecutorService timer, LongSupplier nanoClock) {
        this.random = random;
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.closedSessions = new ClosedSessionLog(nanoClock);
    }

    /**
     * Issues a ticket for one relayed tunnel between {@code source} and {@code destination},
     * full node names that this gateway's tunnels authenticated.
     *
     * @throws IllegalStateException when {@link #MAX_OFFERS} tickets are waiting
     */
    public String offer(String source, String destination, Duration ttl) {
        long now = nanoClock.getAsLong();
        synchronized (offers) {
            dropExpired(now);
            if (offers.size() >= MAX_OFFERS) {
                throw new IllegalStateException(MAX_OFFERS + " relay tickets are waiting for their connections;"
                        + " try again once they are used or expire");
            }
            // One ticket per pair at a time, so a node cannot make another dial this gateway over and over.
            if (offers.values().stream().anyMatch(offer -> offer.source.equalsIgnoreCase(source)
                    && offer.destination.equalsIgnoreCase(destination))) {
                throw new IllegalStateException("a relayed tunnel from '" + source + "' to '" + destination
                        + "' is being set up already; ask again once it is open or its ticket expired");
            }
            String ticket;
            do {
                ticket = RelayPreamble.newTicket(random);
            } while (offers.containsKey(ticket));
            offers.put(ticket, new Offer(source, destination, now + ttl.toNanos()));
            return ticket;
        }
    }

    /** Returns the open splices. */
    public List<SplicedTunnel> splices() {
        return splices.stream().map(Splice::status).toList();
    }

    /** Closes the splices of which {@code node} is one end, for example after its certificate was revoked. */
    public void closeSplicesOf(String node) {
        for (Splice splice : splices) {
            if (splice.offer.source.equalsIgnoreCase(node) || splice.offer.destination.equalsIgnoreCase(node)) {
                LOG.info("Mesh relay {}: closing because node '{}' may no longer use this gateway", splice, node);
                splice.first.session.closeNow();
                splice.second.session.closeNow();
            }
        }
    }

    /**
     * Returns why {@code session} is still waiting when it is a relayed connection that has no
     * splice yet, empty for any other session.
     */
    public static Optional<String> waitingReason(IoSession session) {
        Object state = session.getAttribute(STATE);
        if (state instanceof ByteBuffer) {
            return Optional.of("its relay preamble did not complete");
        }
        if (state instanceof End end && end.splice == null) {
            return Optional.of("the other connection with its relay ticket did not arrive");
        }
        return Optional.empty();
    }

    /** Returns true when {@code session} is one end of a splice, which has no TLS handshake of its own. */
    public static boolean isSpliced(IoSession session) {
        return session.getAttribute(STATE) instanceof End end && end.splice != null;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        Object state = session.getAttribute(STATE);
        if (state == TLS || !(message instanceof IoBuffer input)) {
            next.messageReceived(session, message);
            return;
        }
        if (state == REJECTED) {
            input.free();
            return;
        }
        ByteBuffer data = input.buf();
        if (state == null && data.hasRemaining() && !RelayPreamble.startsPreamble(data.get(data.position()))) {
            session.setAttribute(STATE, TLS);
            next.messageReceived(session, message);
            return;
        }
        try {
            if (state instanceof End end) {
                end.forward(data);
            } else {
                readPreamble(next, session, (ByteBuffer) state, data);
            }
        } finally {
            // The read buffer of a relayed connection serves the next read of its I/O thread.
            input.free();
        }
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) {
        if (session.getAttribute(STATE) instanceof End end) {
            end.written(((IoBuffer) request.getOriginalMessage()).limit());
            return;
        }
        next.messageSent(session, request);
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) {
        Object state = session.getAttribute(STATE);
        if (state instanceof End || state == REJECTED) {
            LOG.debug("Mesh relay session {}: closing after an error: {}", session.getId(), cause.toString());
            session.closeNow();
            return;
        }
        next.exceptionCaught(session, cause);
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) {
        if (session.getAttribute(STATE) instanceof End end) {
            end.closed();
        }
        next.sessionClosed(session);
    }

    /** Collects the preamble, which may arrive in pieces, then joins the connection to its ticket. */
    private void readPreamble(NextFilter next, IoSession session, ByteBuffer partial, ByteBuffer data) {
        ByteBuffer preamble = partial != null ? partial : ByteBuffer.allocate(RelayPreamble.LENGTH);
        while (preamble.hasRemaining() && data.hasRemaining()) {
            preamble.put(data.get());
        }
        if (!RelayPreamble.startsLikeMagic(preamble)) {
            reject(session, "its first bytes are neither TLS nor a Weft relay preamble");
            return;
        }
        if (preamble.hasRemaining()) {
            session.setAttribute(STATE, preamble);
            return;
        }
        String ticket = RelayPreamble.ticketOf(preamble);
        ByteBuffer early = ByteBuffer.allocate(data.remaining()).put(data).flip();
        join(next, session, ticket, early);
    }

    private void join(NextFilter next, IoSession session, String ticket, ByteBuffer early) {
        End end = new End(session, next, early);
        Splice splice;
        synchronized (offers) {
            dropExpired(nanoClock.getAsLong());
            Offer offer = offers.get(ticket);
            if (offer == null) {
                reject(session, "it presented a relay ticket that is unknown, used or expired. Tickets work once,"
                        + " within the handshake timeout after the gateway issued them");
                return;
            }
            session.setAttribute(STATE, end);
            if (offer.waiting == null) {
                offer.waiting = end;
                session.suspendRead();
                return;
            }
            offers.remove(ticket);
            splice = new Splice(offer, offer.waiting, end);
        }
        splices.add(splice);
        splice.start();
    }

    private void reject(IoSession session, String reason) {
        closedSessions.closing(session, reason, true);
        session.setAttribute(STATE, REJECTED);
        session.closeNow();
    }

    /** Drops the tickets that expired; call with {@link #offers} held. */
    private void dropExpired(long now) {
        Iterator<Offer> iterator = offers.values().iterator();
        while (iterator.hasNext()) {
            Offer offer = iterator.next();
            if (offer.waiting == null && now - offer.expiresNanos > 0) {
                iterator.remove();
            }
        }
    }

    /** Closes {@code session} once its queued bytes are written, or after {@link #LINGER_MILLIS} anyway. */
    private void closeAfterFlush(IoSession session) {
        session.closeOnFlush();
        try {
            timer.schedule(() -> session.closeNow(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            session.closeNow();
        }
    }

    /** A ticket and, once one of its connections arrived, that connection. */
    private static final class Offer {
        final String source;
        final String destination;
        final long expiresNanos;
        /** The first connection, which waits for the second; guarded by {@link #offers}. */
        End waiting;

        Offer(String source, String destination, long expiresNanos) {
            this.source = source;
            this.destination = destination;
            this.expiresNanos = expiresNanos;
        }
    }

    /** Two connections that present the same ticket. */
    private final class Splice {
        final Offer offer;
        final End first;
        final End second;
        final Instant since = Instant.now();

        Splice(Offer offer, End first, End second) {
            this.offer = offer;
            this.first = first;
            this.second = second;
        }

        SplicedTunnel status() {
            return new SplicedTunnel(offer.source, offer.destination, since,
                    first.session.getReadBytes() + second.session.getReadBytes());
        }

        /**
         * Forwards what arrived with the preambles, then lets the waiting side read again. The
         * waiting side's bytes go first, under its lock, so none of its later reads overtakes them.
         */
        void start() {
            LOG.info("Mesh relay {}: spliced the connections from {} and {}", this, first.session.getRemoteAddress(),
                    second.session.getRemoteAddress());
            second.attach(this, first);
            synchronized (first) {
                first.other = second;
                second.write(first.takeEarly());
                first.splice = this;
            }
            first.write(second.takeEarly());
            first.session.resumeRead();
        }

        @Override
        public String toString() {
            return "'" + offer.source + "' to '" + offer.destination + "'";
        }
    }

    /** One connection of a splice, or the first one of an offer. */
    private final class End {
        final IoSession session;
        final NextFilter next;
        /** The session's socket, which the other side's thread writes while MINA has nothing of it queued. */
        final ByteChannel channel;
        /** Bytes that arrived before the splice started, forwarded when it starts; guarded by {@code this}. */
        private ByteBuffer early;
        /** Set once the splice started; this side's reads are forwarded from then on. */
        volatile Splice splice;
        End other;
        /** Writes queued in MINA and not yet written; guarded by {@code this}. */
        int queuedWrites;
        /** Bytes of {@link #queuedWrites}; guarded by {@code this}. */
        long queuedBytes;
        /** True while the other side's reads are suspended because this side lags; guarded by {@code this}. */
        boolean otherSuspended;

        End(IoSession session, NextFilter next, ByteBuffer early) {
            this.session = session;
            this.next = next;
            this.channel = session instanceof NioSession nio ? nio.getChannel() : null;
            this.early = early;
        }

        synchronized void attach(Splice splice, End other) {
            this.other = other;
            this.splice = splice;
        }

        synchronized ByteBuffer takeEarly() {
            ByteBuffer earlyBytes = early;
            early = null;
            return earlyBytes;
        }

        /** Writes bytes that this side received to the other side; runs on this side's I/O thread. */
        void forward(ByteBuffer data) {
            if (splice == null && keepEarly(data)) {
                return;
            }
            other.write(data);
        }

        /** Keeps bytes that arrive before the splice started; returns false once it started. */
        private synchronized boolean keepEarly(ByteBuffer data) {
            if (splice != null) {
                return false;
            }
            if (early.remaining() + data.remaining() > HIGH_WATER_BYTES) {
                LOG.debug("Mesh relay session {}: closing because it sent more than {} bytes before its splice"
                        + " started", session.getId(), HIGH_WATER_BYTES);
                session.closeNow();
                return true;
            }
            early = ByteBuffer.allocate(early.remaining() + data.remaining()).put(early).put(data).flip();
            return true;
        }

        /**
         * Writes {@code data} to this side's socket on the calling thread while MINA has nothing
         * of it queued, and queues the rest in MINA. Only the other side's thread writes here.
         */
        synchronized void write(ByteBuffer data) {
            if (data == null || !data.hasRemaining() || session.isClosing()) {
                return;
            }
            if (queuedWrites == 0 && channel != null) {
                writeDirectly(data);
                if (!data.hasRemaining()) {
                    return;
                }
            }
            IoBuffer rest = IoBuffer.allocate(data.remaining()).put(data).flip();
            queuedWrites++;
            queuedBytes += rest.remaining();
            next.filterWrite(session, new DefaultWriteRequest(rest, new DefaultWriteFuture(session)));
            if (queuedBytes > HIGH_WATER_BYTES && !otherSuspended) {
                otherSuspended = true;
                other.session.suspendRead();
            }
        }

        private void writeDirectly(ByteBuffer data) {
            try {
                channel.write(data);
            } catch (IOException e) {
                // MINA meets the same error when it writes the rest, and closes the session.
                LOG.trace("Mesh relay session {}: a direct write failed: {}", session.getId(), e.toString());
            }
        }

        /** Counts a queued write as written, and lets the other side read again once half the backlog went. */
        void written(int bytes) {
            boolean resume;
            synchronized (this) {
                queuedWrites--;
                queuedBytes -= bytes;
                resume = otherSuspended && queuedBytes <= HIGH_WATER_BYTES / 2;
                if (resume) {
                    otherSuspended = false;
                }
            }
            if (resume) {
                other.session.resumeRead();
            }
        }

        /** Ends the splice, or the wait for it, once this side's connection closed. */
        void closed() {
            Splice spliced = splice;
            if (spliced == null) {
                synchronized (offers) {
                    offers.values().removeIf(waiting -> waiting.waiting == this);
                }
                return;
            }
            if (splices.remove(spliced)) {
                LOG.info("Mesh relay {}: closed ({} bytes from {}, {} from {})", spliced,
                        spliced.first.session.getReadBytes(), spliced.first.session.getRemoteAddress(),
                        spliced.second.session.getReadBytes(), spliced.second.session.getRemoteAddress());
            }
            closeAfterFlush(other.session);
        }
    }
}
