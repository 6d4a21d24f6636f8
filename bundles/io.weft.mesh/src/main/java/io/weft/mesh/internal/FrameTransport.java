package io.weft.mesh.internal;

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
     * Closes the connection, after the queued frames when {@code flush} is true, at once
     * otherwise. A dead peer gets no flush because its socket may never drain.
     */
    void close(boolean flush);
}
