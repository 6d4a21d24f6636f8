package io.weft.control.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits at most a fixed number of TLS handshakes at once on the control port. Further
 * connections wait in a bounded queue with their reads suspended, so the server does no TLS
 * work for them until a handshake slot frees. A connection that waited longer than the
 * maximum wait when its turn comes, or that finds the queue full, is closed before any TLS
 * work, and its node retries after its backoff.
 *
 * <p>When thousands of nodes reconnect after a manager restart, accepting every handshake at
 * once lets them queue for the CPU until most of them time out, and the whole fleet retries.
 * Closing every connection above the limit instead makes each rejected node back off for up to
 * its backoff cap, although the server would have had time for it a moment later. The queue
 * keeps those nodes waiting for seconds instead. Its wait limit must stay below the node's
 * handshake timeout, which runs from the TCP connection, so that an admitted node still has
 * time for its handshake.
 *
 * <p>The filter is placed after the TLS filter, so it receives the TLS filter's SECURED event,
 * which frees the slot. Suspending reads at {@code sessionOpened} takes effect before the
 * first read, because MINA fires that event on the I/O thread before it selects the new
 * socket for reading. The TLS filter of a server does no TLS work before the first read.
 */
public final class HandshakeAdmissionFilter extends IoFilterAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeAdmissionFilter.class);
    private static final AttributeKey ADMITTED = new AttributeKey(HandshakeAdmissionFilter.class, "admitted");
    private static final AttributeKey QUEUED = new AttributeKey(HandshakeAdmissionFilter.class, "queued");
    private static final long LOG_EVERY = 1000;

    /** A connection waiting for a handshake slot, since {@code queuedAtNanos}. */
    private record Waiting(IoSession session, long queuedAtNanos) {
    }

    private final int maxHandshakes;
    private final int maxQueued;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private final Deque<Waiting> queue = new ArrayDeque<>();
    private int inHandshake;
    private long rejected;
    private long expired;

    /**
     * @param maxHandshakes TLS handshakes that run at once, at least 1
     * @param maxQueued connections that wait for a slot, 0 to close every connection above
     *     {@code maxHandshakes} at once
     * @param maxWait longest wait in the queue; a connection that waited longer is closed
     *     when its turn comes
     * @param nanoClock source of {@link System#nanoTime()}, replaceable in tests
     */
    public HandshakeAdmissionFilter(int maxHandshakes, int maxQueued, Duration maxWait, LongSupplier nanoClock) {
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("Invalid maximum of handshakes " + maxHandshakes + ": expected 1 or more");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("Invalid maximum of queued connections " + maxQueued
                    + ": expected 0 or more");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("Invalid maximum wait " + maxWait + ": expected 0 or more");
        }
        this.maxHandshakes = maxHandshakes;
        this.maxQueued = maxQueued;
        this.maxWaitNanos = maxWait.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Admits, queues or closes the connection when the session is opened: MINA registers a
     * session with its I/O processor only after sessionCreated, so a close or a suspended read
     * requested there would not reach the socket.
     */
    @Override
    public void sessionOpened(NextFilter nextFilter, IoSession session) throws Exception {
        long rejectedSoFar = 0;
        synchronized (this) {
            if (inHandshake < maxHandshakes) {
                inHandshake++;
                session.setAttribute(ADMITTED, Boolean.TRUE);
            } else if (queue.size() < maxQueued) {
                Waiting waiting = new Waiting(session, nanoClock.getAsLong());
                session.suspendRead();
                session.setAttribute(QUEUED, waiting);
                queue.addLast(waiting);
            } else {
                rejectedSoFar = ++rejected;
            }
        }
        if (rejectedSoFar > 0) {
            closeRejected(session, rejectedSoFar);
            return;
        }
        nextFilter.sessionOpened(session);
    }

    @Override
    public void event(NextFilter nextFilter, IoSession session, FilterEvent event) throws Exception {
        if (event == SslEvent.SECURED) {
            release(session);
        }
        nextFilter.event(session, event);
    }

    @Override
    public void sessionClosed(NextFilter nextFilter, IoSession session) throws Exception {
        release(session);
        nextFilter.sessionClosed(session);
    }

    /** Returns the number of handshakes in progress. */
    public synchronized int inProgress() {
        return inHandshake;
    }

    /** Returns the number of connections waiting for a handshake slot. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Frees the session's slot or queue place, and admits waiting connections into free slots. */
    private void release(IoSession session) {
        List<IoSession> admitted = new ArrayList<>();
        List<IoSession> timedOut = new ArrayList<>();
        long expiredSoFar;
        synchronized (this) {
            if (session.removeAttribute(ADMITTED) != null) {
                inHandshake--;
            }
            Object waiting = session.removeAttribute(QUEUED);
            if (waiting != null) {
                queue.remove(waiting);
            }
            admitWaiting(admitted, timedOut);
            expired += timedOut.size();
            expiredSoFar = expired;
        }
        // NOTE: in MINA 2.2.10 resumeRead changes the socket's interest set without waking the
        // I/O processor, so an idle processor reads the waiting ClientHello at its next select,
        // within its 1-s select timeout. Under load the processor wakes far more often.
        for (IoSession next : admitted) {
            next.resumeRead();
        }
        // Numbers the closed sessions one by one, so that a batch crossing a multiple of
        // LOG_EVERY logs once.
        long count = expiredSoFar - timedOut.size();
        for (IoSession late : timedOut) {
            closeExpired(late, ++count);
        }
    }

    /** Moves queued sessions into free slots, and collects those that waited too long. Holds the lock. */
    private void admitWaiting(List<IoSession> admitted, List<IoSession> timedOut) {
        long now = nanoClock.getAsLong();
        while (inHandshake < maxHandshakes && !queue.isEmpty()) {
            Waiting next = queue.pollFirst();
            next.session().removeAttribute(QUEUED);
            if (!next.session().isConnected() || next.session().isClosing()) {
                continue;
            }
            if (now - next.queuedAtNanos() > maxWaitNanos) {
                timedOut.add(next.session());
                continue;
            }
            inHandshake++;
            next.session().setAttribute(ADMITTED, Boolean.TRUE);
            admitted.add(next.session());
        }
    }

    private void closeRejected(IoSession session, long count) {
        if (count % LOG_EVERY == 1) {
            LOG.info("Control server: {} TLS handshakes are in progress and {} connections wait, so the connection"
                    + " from {} is closed before its handshake; the node retries later ({} connections closed"
                    + " this way so far)", maxHandshakes, maxQueued, session.getRemoteAddress(), count);
        }
        session.closeNow();
    }

    private void closeExpired(IoSession session, long count) {
        if (count % LOG_EVERY == 1) {
            LOG.info("Control server: the connection from {} waited more than {} ms for a TLS handshake slot, so it"
                    + " is closed before its handshake; the node retries later ({} connections closed this way so"
                    + " far)", session.getRemoteAddress(), maxWaitNanos / 1_000_000, count);
        }
        session.closeNow();
    }
}
