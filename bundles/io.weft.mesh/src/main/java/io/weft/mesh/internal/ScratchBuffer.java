package io.weft.mesh.internal;

import java.nio.ByteBuffer;

/**
 * One buffer per thread for data that is copied or written out before the thread uses the
 * buffer again. {@link javax.net.ssl.SSLEngine} demands room for a whole packet or plaintext
 * fragment in the destination of every wrap and unwrap (JDK 17 returns BUFFER_OVERFLOW
 * otherwise), so small records are produced here and copied into a buffer of their size.
 */
final class ScratchBuffer {

    private final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();
    private final boolean direct;

    /** @param direct true for direct buffers, which a socket channel takes without a copy */
    ScratchBuffer(boolean direct) {
        this.direct = direct;
    }

    /** Returns this thread's buffer, cleared, with at least {@code capacity} bytes. */
    ByteBuffer get(int capacity) {
        ByteBuffer buffer = buffers.get();
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
            buffers.set(buffer);
        }
        return buffer.clear();
    }
}
