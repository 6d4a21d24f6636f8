package io.weft.control;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the events of control sessions. Heartbeats and the HELLO timeout are handled
 * below this interface and never reach it.
 *
 * <p>{@link #sessionOpened} runs on the thread that completed the TLS handshake and must not
 * block. The other methods run on the handler threads when
 * {@link ControlSettings#handlerThreads()} is above 0, through an ordered executor that keeps
 * the calls for one session in order, and else on MINA's I/O threads. An exception thrown by
 * a method is logged and closes the session.
 */
@ConsumerType
public interface ControlListener {

    /**
     * Reports a session whose TLS handshake completed, so its peer certificate is available.
     * A node sends its {@link Hello} here.
     */
    default void sessionOpened(ControlSession session) {
    }

    /**
     * Delivers a message that passed the protocol checks: the peer may send its type, and
     * the HELLO exchange came first. A manager responds to a {@link Hello} with
     * {@link ControlSession#send} of a {@link HelloAck}.
     */
    void messageReceived(ControlSession session, ControlMessage message);

    /** Reports the end of a session that was reported by {@link #sessionOpened}. */
    default void sessionClosed(ControlSession session) {
    }
}
