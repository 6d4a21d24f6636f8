package io.weft.control;

import java.time.Duration;
import java.util.Objects;

/**
 * Session settings of a {@link ControlServer} or {@link ControlClient}.
 *
 * @param maxPayloadBytes largest frame payload read or written, in bytes
 * @param handshakeTimeout time from the TCP connection until the TLS handshake must be complete.
 *     It includes the time that a connection waits for one of the manager's handshake slots,
 *     so set it well above that wait, which is half of this timeout on the manager.
 * @param helloTimeout time from the end of the TLS handshake until the HELLO exchange must be
 *     complete. The manager closes a session without a HELLO, and the node one without a
 *     HELLO_ACK.
 * @param heartbeatIntervalSeconds on the manager, the interval that it sends in an accepted
 *     {@link HelloAck} when the listener passes it on; a node uses the interval of the
 *     HELLO_ACK it received. Whole seconds, because MINA measures idle time in seconds.
 * @param maxMissedHeartbeats heartbeats that may go missing before a side closes the session;
 *     it closes after receiving nothing for {@code maxMissedHeartbeats + 1} intervals, the
 *     extra interval covering MINA's 1-second idle check and network delay
 * @param connectTimeout time a node waits for the TCP connection to the manager
 * @param handlerThreads threads that run listener calls for received messages and closed
 *     sessions. With 0 they run on MINA's I/O threads, so use 0 only for listeners that do
 *     not block.
 */
public record ControlSettings(
        int maxPayloadBytes,
        Duration handshakeTimeout,
        Duration helloTimeout,
        int heartbeatIntervalSeconds,
        int maxMissedHeartbeats,
        Duration connectTimeout,
        int handlerThreads) {

    /**
     * Default handshake timeout. During a reconnect storm a connection may wait half of it,
     * 15 s, for a handshake slot on the manager, which then runs the handshakes back to back.
     * A shorter wait closes more connections before their handshake, and each of those nodes
     * retries only after its backoff, up to 30 s later.
     */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30;
    public static final int DEFAULT_MAX_MISSED_HEARTBEATS = 3;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public ControlSettings {
        Require.positive(maxPayloadBytes, "maxPayloadBytes");
        requireAtLeastOneMilli(handshakeTimeout, "handshakeTimeout");
        requireAtLeastOneMilli(helloTimeout, "helloTimeout");
        Require.positive(heartbeatIntervalSeconds, "heartbeatIntervalSeconds");
        Require.positive(maxMissedHeartbeats, "maxMissedHeartbeats");
        requireAtLeastOneMilli(connectTimeout, "connectTimeout");
        Require.notNegative(handlerThreads, "handlerThreads");
    }

    /**
     * Returns the defaults: 1 MiB payloads, 30 s handshake timeout, 10 s HELLO timeout, 30 s
     * heartbeats, 3 missed, no handler threads.
     */
    public static ControlSettings defaults() {
        return new ControlSettings(ControlCodecFactory.DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_HELLO_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_MAX_MISSED_HEARTBEATS,
                DEFAULT_CONNECT_TIMEOUT, 0);
    }

    public ControlSettings withMaxPayloadBytes(int value) {
        return new ControlSettings(value, handshakeTimeout, helloTimeout, heartbeatIntervalSeconds,
                maxMissedHeartbeats, connectTimeout, handlerThreads);
    }

    public ControlSettings withHandshakeTimeout(Duration value) {
        return new ControlSettings(maxPayloadBytes, value, helloTimeout, heartbeatIntervalSeconds,
                maxMissedHeartbeats, connectTimeout, handlerThreads);
    }

    public ControlSettings withHelloTimeout(Duration value) {
        return new ControlSettings(maxPayloadBytes, handshakeTimeout, value, heartbeatIntervalSeconds,
                maxMissedHeartbeats, connectTimeout, handlerThreads);
    }

    public ControlSettings withHeartbeatIntervalSeconds(int value) {
        return new ControlSettings(maxPayloadBytes, handshakeTimeout, helloTimeout, value, maxMissedHeartbeats,
                connectTimeout, handlerThreads);
    }

    public ControlSettings withMaxMissedHeartbeats(int value) {
        return new ControlSettings(maxPayloadBytes, handshakeTimeout, helloTimeout, heartbeatIntervalSeconds, value,
                connectTimeout, handlerThreads);
    }

    public ControlSettings withConnectTimeout(Duration value) {
        return new ControlSettings(maxPayloadBytes, handshakeTimeout, helloTimeout, heartbeatIntervalSeconds,
                maxMissedHeartbeats, value, handlerThreads);
    }

    public ControlSettings withHandlerThreads(int value) {
        return new ControlSettings(maxPayloadBytes, handshakeTimeout, helloTimeout, heartbeatIntervalSeconds,
                maxMissedHeartbeats, connectTimeout, value);
    }

    /** Returns the silence after which a side closes a session with the given heartbeat interval, in seconds. */
    public int readerIdleSeconds(int heartbeatIntervalSeconds) {
        long seconds = (long) heartbeatIntervalSeconds * (maxMissedHeartbeats + 1L);
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    private static void requireAtLeastOneMilli(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException(field + " must be at least 1 ms, but is " + value);
        }
    }
}
