package io.weft.mesh;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** One authenticated connection to a peer node, carrying multiplexed streams. Thread-safe. */
@ProviderType
public interface MeshTunnel extends AutoCloseable {

    /** Maximum length of a stream target in UTF-8 bytes. */
    int MAX_TARGET_BYTES = 1024;
    /** Maximum number of metadata entries of a stream. */
    int MAX_METADATA_ENTRIES = 16;
    /** Maximum length of a metadata key in UTF-8 bytes; keys must not be empty. */
    int MAX_METADATA_KEY_BYTES = 255;
    /** Maximum length of a metadata value in UTF-8 bytes. */
    int MAX_METADATA_VALUE_BYTES = 4096;

    MeshPeer peer();

    /** Returns true when this side dialled the tunnel, and so opens streams with odd ids. */
    boolean isDialer();

    /**
     * Opens a stream to {@code target} on the peer and sends OPEN at once. Bytes may be written
     * right away, because the peer accepts optimistically and rejects with a reset.
     *
     * @param target   service name or app operation, 1 to {@value #MAX_TARGET_BYTES} bytes of UTF-8
     * @param metadata up to {@value #MAX_METADATA_ENTRIES} entries, such as the source identity for a relay
     * @throws IllegalStateException when the tunnel is closed or going away, or the stream ids are used up
     * @throws IllegalArgumentException when the target or metadata exceed the limits of an OPEN frame
     */
    MeshStream openStream(String target, Map<String, String> metadata, MeshStreamHandler handler);

    /**
     * Sends GOAWAY: the peer may open no more streams, and neither may this side. Open streams
     * continue, and the tunnel closes when the last one ends.
     */
    void goAway(String reason);

    /**
     * Returns the error code of the GOAWAY that the peer sent, if it sent one. A dialer reads it
     * after the tunnel closed to tell a permanent rejection ({@link ErrorCode#PEER_REJECTED})
     * from a normal close.
     */
    Optional<ErrorCode> peerGoAwayCode();

    /** Returns the number of open streams in both directions. */
    int streamCount();

    /**
     * Returns the I/O thread that serves this tunnel, as a loop that can serve other channels
     * too, such as the TCP connection that a stream is bridged to. Empty when the tunnel's
     * connection has no such thread, or has closed.
     */
    default Optional<IoLoop> ioLoop() {
        return Optional.empty();
    }

    /** Returns the round-trip time of the last PING whose PONG arrived, if any. */
    Optional<Duration> roundTripTime();

    boolean isOpen();

    /**
     * Closes the tunnel now: sends GOAWAY, closes the connection and resets every open stream
     * with {@link ErrorCode#TUNNEL_CLOSED}.
     */
    @Override
    void close();

    /**
     * Closes the tunnel now like {@link #close()}, but sends GOAWAY with {@code code} and
     * {@code reason}, so that the peer learns why.
     */
    void close(ErrorCode code, String reason);
}
