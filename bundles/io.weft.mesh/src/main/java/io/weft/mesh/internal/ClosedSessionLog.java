package io.weft.mesh.internal;

import io.weft.control.RepeatLimiter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the sessions that a listener closes before they became tunnels, which any client of
 * the port can open by the thousand: each reason once a minute per peer address, and the
 * repeats at DEBUG, counted in the next line.
 */
final class ClosedSessionLog {

    private static final Logger LOG = LoggerFactory.getLogger(ClosedSessionLog.class);

    private final RepeatLimiter repeats;

    ClosedSessionLog(LongSupplier nanoClock) {
        this.repeats = new RepeatLimiter(TimeUnit.MINUTES.toNanos(1), nanoClock);
    }

    /** Logs that {@code session} closes because of {@code reason}, at WARN or else INFO when not repeated. */
    void closing(IoSession session, String reason, boolean warn) {
        long suppressed = repeats.admit(hostOf(session) + " " + reason);
        if (suppressed < 0) {
            LOG.debug("Mesh session {} with {}: closing because {}", session.getId(), session.getRemoteAddress(),
                    reason);
            return;
        }
        String repeated = suppressed == 0 ? "" : " (" + suppressed + " more from this address since the last such"
                + " line were logged at DEBUG)";
        if (warn) {
            LOG.warn("Mesh session {} with {}: closing because {}{}", session.getId(), session.getRemoteAddress(),
                    reason, repeated);
        } else {
            LOG.info("Mesh session {} with {}: closing because {}{}", session.getId(), session.getRemoteAddress(),
                    reason, repeated);
        }
    }

    /** Returns the host of the session's peer, the key of its repeats. */
    static String hostOf(IoSession session) {
        return session.getRemoteAddress() instanceof InetSocketAddress address ? address.getHostString()
                : String.valueOf(session.getRemoteAddress());
    }
}
