package io.weft.control.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits at most a fixed number of TLS handshakes at once on the control port, and closes
 * further connections before any TLS work, so the nodes back off and try again.
 *
 * <p>When thousands of nodes reconnect after a manager restart, accepting every connection
 * lets the handshakes queue for the CPU until most of them time out, and the whole fleet
 * retries again. Closing the excess at once costs nothing and keeps the admitted handshakes
 * fast. The filter is placed after the TLS filter, so it receives the TLS filter's SECURED event.
 */
public final class HandshakeAdmissionFilter extends IoFilterAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeAdmissionFilter.class);
    private static final AttributeKey ADMITTED = new AttributeKey(HandshakeAdmissionFilter.class, "admitted");
    private static final long LOG_EVERY = 1000;

    private final int maxHandshakes;
    private final AtomicInteger inHandshake = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    public HandshakeAdmissionFilter(int maxHandshakes) {
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("Invalid maximum of handshakes " + maxHandshakes + ": expected 1 or more");
        }
        this.maxHandshakes = maxHandshakes;
    }

    /**
     * Decides when the session is opened: MINA registers a session with its I/O processor only
     * after sessionCreated, so a close requested there would not reach the socket.
     */
    @Override
    public void sessionOpened(NextFilter nextFilter, IoSession session) throws Exception {
        if (inHandshake.incrementAndGet() > maxHandshakes) {
            inHandshake.decrementAndGet();
            long count = refused.incrementAndGet();
            if (count % LOG_EVERY == 1) {
                LOG.info("Control server: {} TLS handshakes are in progress, so the connection from {} is closed"
                        + " before its handshake; the node retries later ({} connections refused so far)",
                        maxHandshakes, session.getRemoteAddress(), count);
            }
            session.closeNow();
            return;
        }
        session.setAttribute(ADMITTED, Boolean.TRUE);
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
    public int inProgress() {
        return inHandshake.get();
    }

    private void release(IoSession session) {
        if (session.removeAttribute(ADMITTED) != null) {
            inHandshake.decrementAndGet();
        }
    }
}
