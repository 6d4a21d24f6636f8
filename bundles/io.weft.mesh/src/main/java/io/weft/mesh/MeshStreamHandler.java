package io.weft.mesh;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Events of one stream. The events of all streams of a tunnel arrive one at a time and in
 * order, never concurrently and never while the tunnel holds a lock, so a handler may call
 * into this or any other stream or tunnel. A handler must not block: the next event of every
 * stream of the tunnel waits for it.
 */
@ConsumerType
public interface MeshStreamHandler {

    /**
     * Receives bytes from the peer. {@code data} is valid only during the call. Call
     * {@link MeshStream#consumed} with the number of bytes once they have been passed on, so
     * the peer may send more; until then they count against the stream's window.
     */
    void onData(MeshStream stream, ByteBuffer data);

    /** Reports that a write that returned false has drained below the stream's write buffer. */
    default void onWritable(MeshStream stream) {
    }

    /** Reports that the peer finished its direction; no further {@link #onData} follows. */
    default void onFin(MeshStream stream) {
    }

    /**
     * Reports that the stream ended abnormally: reset by the peer, refused, timed out, or cut
     * by the tunnel closing. No other event follows except {@link #onClosed}. A reset that
     * this side made with {@link MeshStream#reset} is not reported here.
     */
    default void onReset(MeshStream stream, ErrorCode code, String reason) {
    }

    /** Reports that the stream ended, normally or not, after all its other events. */
    default void onClosed(MeshStream stream) {
    }
}
