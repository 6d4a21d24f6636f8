package io.weft.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of a mesh endpoint, validated on construction. Start from
 * {@link #defaults()} and change single values with the {@code with…} methods.
 *
 * @param maxFramePayloadBytes   largest frame payload this side sends and accepts; a larger
 *     incoming frame closes the tunnel. Both ends should use the same value.
 * @param receiveWindowBytes     bytes a peer may send on one stream before this side reports
 *     them consumed; at least {@link #INITIAL_WINDOW_BYTES}, the window that every stream
 *     starts with, and raised to this value by a WINDOW_UPDATE right after the stream opens
 * @param maxReceiveWindowBytes  largest window that a stream grows to, at least
 *     {@code receiveWindowBytes}, which disables growth. A stream's window doubles when the peer
 *     has used up nearly all of it while this side's consumer kept up, so a bulk transfer over
 *     a path with much data in flight is not held back by the window. The streams of one tunnel
 *     grow by {@link #TUNNEL_GROWTH_FACTOR} times this value at most, so a tunnel buffers at
 *     most that much beyond the streams' starting windows for consumers that fall behind.
 * @param streamWriteBufferBytes bytes that {@link MeshStream#write} queues per stream, beyond
 *     the peer's window, before it returns false
 * @param tunnelWriteBufferBytes bytes of DATA frames handed to the connection and not yet
 *     written to the socket, beyond which streams wait their turn
 * @param maxInboundStreams      streams the peer may have open at once; a further OPEN is reset
 *     with {@link ErrorCode#REFUSED_STREAM}
 * @param streamIdleTimeout      time without DATA in either direction after which a stream is
 *     reset with {@link ErrorCode#IDLE_TIMEOUT}; zero disables the timeout
 * @param pingInterval           time without any incoming frame after which this side sends a PING
 * @param maxMissedPings         ping intervals without any incoming frame after which the peer
 *     counts as dead and the tunnel closes
 * @param handshakeTimeout       time a new connection may take to complete its TLS handshake
 * @param connectTimeout         time a dial may take to establish the TCP connection
 */
public record MeshSettings(int maxFramePayloadBytes, int receiveWindowBytes, int maxReceiveWindowBytes,
        int streamWriteBufferBytes, int tunnelWriteBufferBytes, int maxInboundStreams, Duration streamIdleTimeout, Duration pingInterval,
        int maxMissedPings, Duration handshakeTimeout, Duration connectTimeout) {

    /** Flow control window of every new stream in each direction, fixed by the protocol. */
    public static final int INITIAL_WINDOW_BYTES = 256 * 1024;
    /** Largest payload that the 3-byte length field of a frame header can describe. */
    public static final int MAX_FRAME_PAYLOAD_LIMIT = (1 << 24) - 1;
    /** Smallest allowed maximum frame payload. */
    public static final int MIN_FRAME_PAYLOAD_BYTES = 1024;
    /** Largest receive window, which keeps the window sums below {@link Integer#MAX_VALUE}. */
    public static final int MAX_WINDOW_BYTES = 1 << 30;
    /** How many times {@link #maxReceiveWindowBytes} the streams of one tunnel may grow their windows by in total. */
    public static final int TUNNEL_GROWTH_FACTOR = 4;

    public MeshSettings {
        requireBetween("maxFramePayloadBytes", maxFramePayloadBytes, MIN_FRAME_PAYLOAD_BYTES, MAX_FRAME_PAYLOAD_LIMIT);
        requireBetween("receiveWindowBytes", receiveWindowBytes, INITIAL_WINDOW_BYTES, MAX_WINDOW_BYTES);
        requireBetween("maxReceiveWindowBytes", maxReceiveWindowBytes, receiveWindowBytes,
                MAX_WINDOW_BYTES / TUNNEL_GROWTH_FACTOR);
        requireBetween("streamWriteBufferBytes", streamWriteBufferBytes, 1, MAX_WINDOW_BYTES);
        requireBetween("tunnelWriteBufferBytes", tunnelWriteBufferBytes, maxFramePayloadBytes, MAX_WINDOW_BYTES);
        requireBetween("maxInboundStreams", maxInboundStreams, 1, 1 << 20);
        requireBetween("maxMissedPings", maxMissedPings, 1, 100);
        requireNotNegative("streamIdleTimeout", streamIdleTimeout);
        requirePositive("pingInterval", pingInterval);
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("connectTimeout", connectTimeout);
    }

    /**
     * Returns the defaults. Frames carry up to 64 KiB, stream windows start at 256 KiB and grow
     * to 4 MiB, so a tunnel's streams grow by 16 MiB at most. Each stream buffers 16 KiB of
     * writes beyond its window and the tunnel 1 MiB. A peer may open 1024 streams, and a stream
     * idle for 10 min is reset. A PING follows 15 s of silence, and 3 silent intervals mean a
     * dead peer. Handshake and connect time out after 10 s each.
     */
    public static MeshSettings defaults() {
        return new MeshSettings(64 * 1024, INITIAL_WINDOW_BYTES, 4 * 1024 * 1024, 16 * 1024, 1024 * 1024, 1024,
                Duration.ofMinutes(10), Duration.ofSeconds(15), 3, Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    public MeshSettings withMaxFramePayloadBytes(int value) {
        return new MeshSettings(value, receiveWindowBytes, maxReceiveWindowBytes, streamWriteBufferBytes,
                Math.max(tunnelWriteBufferBytes, value), maxInboundStreams, streamIdleTimeout, pingInterval,
                maxMissedPings, handshakeTimeout, connectTimeout);
    }

    /** Sets the starting window, and raises the largest window to it when it was smaller. */
    public MeshSettings withReceiveWindowBytes(int value) {
        return new MeshSettings(maxFramePayloadBytes, value, Math.max(maxReceiveWindowBytes, value),
                streamWriteBufferBytes, tunnelWriteBufferBytes, maxInboundStreams, streamIdleTimeout, pingInterval,
                maxMissedPings, handshakeTimeout, connectTimeout);
    }

    public MeshSettings withMaxReceiveWindowBytes(int value) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, value, streamWriteBufferBytes,
                tunnelWriteBufferBytes, maxInboundStreams, streamIdleTimeout, pingInterval, maxMissedPings,
                handshakeTimeout, connectTimeout);
    }

    public MeshSettings withStreamWriteBufferBytes(int value) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, maxReceiveWindowBytes, value,
                tunnelWriteBufferBytes, maxInboundStreams, streamIdleTimeout, pingInterval, maxMissedPings,
                handshakeTimeout, connectTimeout);
    }

    public MeshSettings withTunnelWriteBufferBytes(int value) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, maxReceiveWindowBytes,
                streamWriteBufferBytes, value, maxInboundStreams, streamIdleTimeout, pingInterval, maxMissedPings,
                handshakeTimeout, connectTimeout);
    }

    public MeshSettings withMaxInboundStreams(int value) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, maxReceiveWindowBytes,
                streamWriteBufferBytes, tunnelWriteBufferBytes, value, streamIdleTimeout, pingInterval,
                maxMissedPings, handshakeTimeout, connectTimeout);
    }

    public MeshSettings withStreamIdleTimeout(Duration value) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, maxReceiveWindowBytes,
                streamWriteBufferBytes, tunnelWriteBufferBytes, maxInboundStreams, value, pingInterval,
                maxMissedPings, handshakeTimeout, connectTimeout);
    }

    public MeshSettings withKeepalive(Duration interval, int missedPings) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, maxReceiveWindowBytes,
                streamWriteBufferBytes, tunnelWriteBufferBytes, maxInboundStreams, streamIdleTimeout, interval,
                missedPings, handshakeTimeout, connectTimeout);
    }

    public MeshSettings withHandshakeTimeout(Duration value) {
        return new MeshSettings(maxFramePayloadBytes, receiveWindowBytes, maxReceiveWindowBytes,
                streamWriteBufferBytes, tunnelWriteBufferBytes, maxInboundStreams, streamIdleTimeout, pingInterval,
                maxMissedPings, value, connectTimeout);
    }

    private static void requireBetween(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("Invalid " + name + " " + value + ": it must be between " + min
                    + " and " + max);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException("Invalid " + name + " " + value + ": it must not be negative");
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNotNegative(name, value);
        if (value.isZero()) {
            throw new IllegalArgumentException("Invalid " + name + " " + value + ": it must be positive");
        }
    }
}
