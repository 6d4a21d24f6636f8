package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Buffers of one capacity, all heap or all direct, that threads borrow while they work on some
 * bytes and return when done, so an idle session keeps none and a busy one allocates none.
 */
final class BufferPool {

    private final int capacity;
    private final int maxRetained;
    private final boolean direct;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    /**
     * @param capacity    bytes of every buffer
     * @param maxRetained buffers kept for reuse; buffers returned beyond this are left to the GC
     */
    BufferPool(int capacity, int maxRetained) {
        this(capacity, maxRetained, false);
    }

    /** @param direct true for direct buffers, which a socket channel reads from without a copy */
    BufferPool(int capacity, int maxRetained, boolean direct) {
        this.capacity = capacity;
        this.maxRetained = maxRetained;
        this.direct = direct;
    }

    int capacity() {
        return capacity;
    }

    /** Returns a cleared buffer of {@link #capacity()} bytes, taken from the pool or new. */
    ByteBuffer take() {
        ByteBuffer buffer;
        synchronized (free) {
            buffer = free.pollFirst();
        }
        if (buffer != null) {
            return buffer;
        }
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** Returns a buffer to the pool; buffers of another capacity or kind are dropped. */
    void release(ByteBuffer buffer) {
        if (buffer.capacity() != capacity || buffer.isDirect() != direct) {
            return;
        }
        buffer.clear();
        synchronized (free) {
            if (free.size() < maxRetained) {
                free.addFirst(buffer);
            }
        }
    }
}
