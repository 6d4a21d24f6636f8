package io.weft.mesh.internal;

import io.weft.mesh.IoLoop;
import java.util.Optional;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * The connection under a {@link Multiplexer}. The multiplexer calls it from one thread at a
 * time, without holding its lock. The transport reports each frame written to the network
 * with {@link Multiplexer#frameWritten}, each frame received with {@link Multiplexer#receive}
 * and its end with {@link Multiplexer#transportClosed}.
 */
public interface FrameTransport {

    /** Queues one encoded frame for the peer. */
    void write(IoBuffer frame);

    /**
     * Queues one DATA frame for the peer. The frame's payload may be borrowed, so the transport
     * either sends it before returning or keeps a copy (see {@link OutboundData}). By default
     * it copies the frame into one buffer and writes that.
     */
    default void write(OutboundData frame) {
        write(frame.toIoBuffer());
    }

    /** Returns the I/O thread that serves the connection, if it can serve other channels too. */
    default Optional<IoLoop> ioLoop() {
        return Optional.empty();
    }

    /**
     * Closes the connection, after the queued frames when {@code flush} is true, at once
     * otherwise. A dead peer gets no flush because its socket may never drain.
     */
    void close(boolean flush);
}
