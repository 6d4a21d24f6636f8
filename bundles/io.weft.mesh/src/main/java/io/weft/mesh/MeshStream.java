package io.weft.mesh;

import java.nio.ByteBuffer;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A bidirectional byte stream inside a tunnel, with TCP-like half-close. All methods are
 * thread-safe. None waits for the network or the peer, though a call may wait briefly for the
 * tunnel's lock or for MINA's TLS filter.
 */
@ProviderType
public interface MeshStream {

    /** Returns the stream id: odd for streams that the dialling side opened, even for the accepting side. */
    int id();

    /** Returns the service name or app operation that the opener requested. */
    String target();

    /** Returns the metadata of the OPEN frame, such as the source identity that a relay forwards. */
    Map<String, String> metadata();

    MeshTunnel tunnel();

    /** Returns true when this side opened the stream. */
    boolean isLocal();

    /**
     * Queues all remaining bytes of {@code data} for the peer and sends as many as the peer's
     * window allows. The buffer is copied, so the caller may reuse it after the call.
     *
     * @return true while the stream's write buffer has room; after false, stop writing until
     *     {@link MeshStreamHandler#onWritable}. Writes that ignore false still succeed, so the
     *     stream then also buffers whatever the caller wrote beyond the write buffer.
     *     After a reset or a closed tunnel the bytes are discarded and the result is false.
     * @throws IllegalStateException after {@link #shutdownOutput()}
     */
    boolean write(ByteBuffer data);

    /** Returns true when the write buffer has room, as the result of {@link #write} reports. */
    boolean isWritable();

    /**
     * Returns how many bytes a write can take now without filling the write buffer: what the
     * peer's window lets the stream send at once, and the room left in the write buffer. A
     * bridge that reads at most this much from its source keeps each blocked stream's buffer
     * small, however many streams are blocked. The default, for streams that do not track it,
     * is {@link Integer#MAX_VALUE}.
     */
    default int writableBytes() {
        return Integer.MAX_VALUE;
    }

    /** Sends FIN after the queued bytes. This side then sends no more, while the peer may go on sending. */
    void shutdownOutput();

    /**
     * Reports that {@code bytes} of the bytes delivered to {@link MeshStreamHandler#onData}
     * have been passed on. The stream grants the peer more window once half of the receive
     * window has been consumed.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative or more than delivered and not yet consumed
     */
    void consumed(int bytes);

    /** Ends both directions at once, discards queued bytes and sends RESET with {@code code} and {@code reason}. */
    void reset(ErrorCode code, String reason);

    /** Returns the payload bytes written to the peer so far. */
    long bytesSent();

    /** Returns the payload bytes received from the peer so far. */
    long bytesReceived();
}
