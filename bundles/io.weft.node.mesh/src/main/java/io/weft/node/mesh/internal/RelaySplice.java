package io.weft.node.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Joins two streams at a gateway without reading their bytes: what one delivers is written to
 * the other, and reported consumed only once the other stream has room again, so the relay
 * buffers at most one window per direction. FIN and resets pass through.
 *
 * <p>The events of the two streams arrive on the event threads of two tunnels, usually two
 * MINA I/O threads. The splice forwards on the thread of the event, with no hand-off: io.weft.mesh
 * delivers events without holding any lock, so writing into a stream of another tunnel there
 * is allowed. The splice's own steps run one at a time and in order, as {@link #runSerially}
 * describes, so the counts of unconsumed bytes and the order of data, FIN and reset hold.
 *
 * <p>The bytes are the records of the inner TLS session that the two edges run end to end, so
 * the gateway can neither read nor alter the payload.
 */
final class RelaySplice {

    private final String description;
    private final Side inbound;
    private final Side outbound;
    /** Steps that arrived while another thread ran the splice's steps; guarded by itself. */
    private final ArrayDeque<Runnable> waitingSteps = new ArrayDeque<>();
    /** True while a thread runs the splice's steps; guarded by {@link #waitingSteps}. */
    private boolean running;

    RelaySplice(String description) {
        this.description = description;
        this.inbound = new Side();
        this.outbound = new Side();
        inbound.other = outbound;
        outbound.other = inbound;
    }

    /** The handler of the stream that the source side opened to this gateway. */
    MeshStreamHandler inbound(MeshStream stream) {
        inbound.stream = stream;
        return inbound;
    }

    /** The handler of the stream that this gateway opens towards the destination. */
    MeshStreamHandler outbound() {
        return outbound;
    }

    void attachOutbound(MeshStream stream) {
        outbound.stream = stream;
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * Runs {@code step} at once on this thread when no other thread runs a step of this splice,
     * and otherwise queues it for that thread, which runs it before it returns. No thread waits
     * for another, and the lock guards only the queue, never a running step. So two tunnels that
     * relay into each other cannot deadlock.
     *
     * @return true when the step ran on this thread
     */
    private boolean runSerially(Runnable step, boolean queueIfBusy) {
        synchronized (waitingSteps) {
            if (running) {
                if (queueIfBusy) {
                    waitingSteps.addLast(step);
                }
                return false;
            }
            running = true;
        }
        step.run();
        runWaitingSteps();
        return true;
    }

    private void runWaitingSteps() {
        while (true) {
            Runnable next;
            synchronized (waitingSteps) {
                next = waitingSteps.pollFirst();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }

    /** One direction's end: its events move bytes into the other side's stream. */
    private final class Side implements MeshStreamHandler {
        private volatile MeshStream stream;
        private Side other;
        /** Bytes received on this side, written to the other and not yet reported consumed. */
        private int unconsumed;

        @Override
        public void onData(MeshStream from, ByteBuffer data) {
            int bytes = data.remaining();
            // The write copies the bytes, so the common case forwards from the event's buffer.
            if (!runSerially(() -> forward(from, data, bytes), false)) {
                ByteBuffer copy = ByteBuffer.allocate(bytes);
                copy.put(data).flip();
                runSerially(() -> forward(from, copy, bytes), true);
            }
        }

        private void forward(MeshStream from, ByteBuffer data, int bytes) {
            boolean room = other.stream.write(data);
            if (room && unconsumed == 0) {
                from.consumed(bytes);
            } else {
                unconsumed += bytes;
            }
        }

        @Override
        public void onWritable(MeshStream to) {
            runSerially(other::release, true);
        }

        private void release() {
            int bytes = unconsumed;
            unconsumed = 0;
            if (bytes > 0) {
                stream.consumed(bytes);
            }
        }

        @Override
        public void onFin(MeshStream from) {
            runSerially(() -> other.stream.shutdownOutput(), true);
        }

        @Override
        public void onReset(MeshStream from, ErrorCode code, String reason) {
            runSerially(() -> {
                MeshStream target = other.stream;
                if (target != null) {
                    target.reset(code, reason);
                }
            }, true);
        }
    }
}
