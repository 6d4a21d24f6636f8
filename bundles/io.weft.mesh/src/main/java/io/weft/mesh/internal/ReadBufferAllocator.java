package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.mina.core.buffer.AbstractIoBuffer;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.IoBufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives MINA's reads on the I/O threads of mesh endpoints one direct buffer per thread,
 * reused for every read, and allocates every other buffer as MINA's default allocator does.
 *
 * <p>MINA 2.2 allocates a new buffer for each read from the allocator that {@link IoBuffer}
 * holds for the whole JVM. With the default allocator that is a zeroed heap array of the read
 * size, and the JDK copies each read from its own direct buffer into it. A direct buffer that
 * comes back after the read saves the zeroing, the copy and the garbage. The buffer comes back
 * when the TLS filter, which consumes each read before MINA's read call returns, calls
 * {@link IoBuffer#free()}. A buffer that never comes back, because a filter failed first, is
 * left to the garbage collector, and the thread allocates another.
 *
 * <p>Only threads of {@link #threadFactory} get these buffers, and only for allocations of
 * exactly {@link #READ_BUFFER_BYTES}, the fixed read size of mesh sessions. Every other
 * allocation, such as those of the control channel, gets a plain heap or direct buffer.
 * NOTE: another allocation of exactly that size on these threads, such as a frame copy with a
 * payload of 65,527 bytes, takes the thread's buffer too. That stays correct, because a buffer
 * goes back to its thread only when freed, but the next read then needs a new buffer.
 *
 * <p>This allocator creates all buffers itself instead of delegating to the one it replaced:
 * in MINA 2.2 the constructor of {@link AbstractIoBuffer} installs the allocator it is given
 * as the JVM-wide one, so a single buffer of another allocator would uninstall this one. It is
 * installed while at least one mesh endpoint is open ({@link #acquire()}, {@link #release()}).
 */
public final class ReadBufferAllocator implements IoBufferAllocator {

    /** Read size of mesh sessions, MINA's default largest read, and room for nearly four full TLS records. */
    public static final int READ_BUFFER_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ReadBufferAllocator.class);
    private static final Object LOCK = new Object();
    /** Open endpoints that need the allocator; guarded by {@link #LOCK}. */
    private static int users;
    /** The installed allocator, or null while none is; guarded by {@link #LOCK}. */
    private static ReadBufferAllocator installed;

    /** Reads served from a reused buffer, for tests and diagnostics. */
    private static final LongAdder REUSED_READS = new LongAdder();

    /** The allocator this one replaced, installed again when the last endpoint closes. */
    private final IoBufferAllocator replaced;

    private ReadBufferAllocator(IoBufferAllocator replaced) {
        this.replaced = replaced;
    }

    /** Installs the allocator for the first open endpoint; call {@link #release()} once for each call. */
    public static void acquire() {
        synchronized (LOCK) {
            if (users++ == 0) {
                installed = new ReadBufferAllocator(IoBuffer.getAllocator());
                // setAllocator disposes the allocator it replaces; MINA's own allocators hold nothing to dispose.
                IoBuffer.setAllocator(installed);
            }
        }
    }

    /** Restores the replaced allocator once the last endpoint closed, unless another replaced ours since. */
    public static void release() {
        synchronized (LOCK) {
            if (users == 0 || --users > 0) {
                return;
            }
            if (IoBuffer.getAllocator() == installed) {
                IoBuffer.setAllocator(installed.replaced);
            } else {
                LOG.debug("MINA's buffer allocator was replaced after the mesh installed its own; leaving {}",
                        IoBuffer.getAllocator());
            }
            installed = null;
        }
    }

    /** Returns a factory of I/O threads whose reads get a reused buffer, named {@code <prefix>-<n>}. */
    public static ThreadFactory threadFactory(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new ReadThread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Returns how many reads of this JVM a buffer of a mesh I/O thread served. */
    public static long reusedReads() {
        return REUSED_READS.sum();
    }

    @Override
    public IoBuffer allocate(int capacity, boolean direct) {
        if (capacity == READ_BUFFER_BYTES && Thread.currentThread() instanceof ReadThread thread) {
            REUSED_READS.increment();
            return new MeshBuffer(this, thread, thread.takeBuffer());
        }
        return wrap(allocateNioBuffer(capacity, direct));
    }

    @Override
    public ByteBuffer allocateNioBuffer(int capacity, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        return buffer.order(ByteOrder.BIG_ENDIAN);
    }

    @Override
    public IoBuffer wrap(ByteBuffer nioBuffer) {
        return new MeshBuffer(this, null, nioBuffer);
    }

    @Override
    public void dispose() {
        // The buffers belong to the threads and go with them.
    }

    /** An I/O thread with its spare read buffer, touched by that thread only. */
    private static final class ReadThread extends Thread {

        private ByteBuffer spare;

        ReadThread(Runnable task, String name) {
            super(task, name);
        }

        ByteBuffer takeBuffer() {
            ByteBuffer buffer = spare;
            spare = null;
            if (buffer == null) {
                return ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            }
            return buffer.clear().order(ByteOrder.BIG_ENDIAN);
        }

        void giveBack(ByteBuffer buffer) {
            spare = buffer;
        }
    }

    /**
     * A buffer of this allocator. A read buffer, which has an owner, goes back to that thread
     * on {@link #free()}. Its derived buffers, such as duplicates and slices, share its bytes,
     * so they must not outlive it.
     */
    private static final class MeshBuffer extends AbstractIoBuffer {

        private final ReadThread owner;
        private ByteBuffer buffer;

        /** A buffer of {@code owner}, or a plain one when {@code owner} is null. */
        MeshBuffer(IoBufferAllocator allocator, ReadThread owner, ByteBuffer buffer) {
            super(allocator, buffer.capacity());
            this.owner = owner;
            this.buffer = buffer;
        }

        private MeshBuffer(MeshBuffer parent, ByteBuffer buffer) {
            super(parent);
            this.owner = null;
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer buf() {
            return buffer;
        }

        @Override
        protected void buf(ByteBuffer replacement) {
            buffer = replacement;
        }

        @Override
        protected IoBuffer duplicate0() {
            return new MeshBuffer(this, buffer.duplicate());
        }

        @Override
        protected IoBuffer slice0() {
            return new MeshBuffer(this, buffer.slice());
        }

        @Override
        protected IoBuffer asReadOnlyBuffer0() {
            return new MeshBuffer(this, buffer.asReadOnlyBuffer());
        }

        @Override
        public byte[] array() {
            return buffer.array();
        }

        @Override
        public int arrayOffset() {
            return buffer.arrayOffset();
        }

        @Override
        public boolean hasArray() {
            return buffer.hasArray();
        }

        /**
         * Gives a read buffer back to its thread when called on that thread. A buffer that
         * auto-expansion replaced, or a call from another thread, is left to the garbage collector.
         */
        @Override
        public void free() {
            ByteBuffer lent = buffer;
            if (owner == null || lent == null || Thread.currentThread() != owner || !lent.isDirect()
                    || lent.capacity() != READ_BUFFER_BYTES) {
                return;
            }
            buffer = null;
            owner.giveBack(lent);
        }
    }
}
