package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Heap buffers of one capacity that the sessions of a filter borrow while they work on a read
 * and return when they are empty, so an idle session keeps none and a busy one allocates none.
 */
final class BufferPool {

    private final int capacity;
    private final int maxRetained;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    /**
     * @param capacity    bytes of every buffer
     * @param maxRetained buffers kept for reuse; buffers returned beyond this are left to the GC
     */
    BufferPool(int capacity, int maxRetained) {
        this.capacity = capacity;
        this.maxRetained = maxRetained;
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
        return buffer != null ? buffer : ByteBuffer.allocate(capacity);
    }

    /** Returns a buffer to the pool; buffers of another capacity are dropped. */
    void release(ByteBuffer buffer) {
        if (buffer.capacity() != capacity) {
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
