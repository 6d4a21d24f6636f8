package io.weft.node.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * Joins two streams at a gateway without reading their bytes: what one delivers is written to
 * the other, and reported consumed only once the other stream has room again, so the relay
 * buffers at most one window per direction. FIN and resets pass through.
 *
 * <p>Every write into the other stream runs on {@code executor}, never on the tunnel's event
 * thread. NOTE: io.weft.mesh delivers stream events on a MINA I/O thread that holds the SSL
 * filter's lock of its session, so writing into a stream of another tunnel there deadlocked
 * with the opposite direction doing the same. One serial executor keeps the order of data, FIN
 * and reset.
 *
 * <p>The bytes are the records of the inner TLS session that the two edges run end to end, so
 * the gateway can neither read nor alter the payload.
 */
final class RelaySplice {

    private final String description;
    private final Side inbound;
    private final Side outbound;

    /** @param executor a serial executor that runs no blocking work */
    RelaySplice(String description, Executor executor) {
        this.description = description;
        this.inbound = new Side(executor);
        this.outbound = new Side(executor);
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

    /** One direction's end: its events move bytes into the other side's stream. */
    private static final class Side implements MeshStreamHandler {
        private final Executor executor;
        private volatile MeshStream stream;
        private Side other;
        /** Bytes received on this side, written to the other and not yet reported consumed. */
        private int unconsumed;

        Side(Executor executor) {
            this.executor = executor;
        }

        @Override
        public void onData(MeshStream from, ByteBuffer data) {
            int bytes = data.remaining();
            ByteBuffer copy = ByteBuffer.allocate(bytes);
            copy.put(data).flip();
            executor.execute(() -> forward(from, copy, bytes));
        }

        private void forward(MeshStream from, ByteBuffer data, int bytes) {
            boolean room = other.stream.write(data);
            synchronized (this) {
                if (room && unconsumed == 0) {
                    from.consumed(bytes);
                } else {
                    unconsumed += bytes;
                }
            }
        }

        @Override
        public void onWritable(MeshStream to) {
            executor.execute(other::release);
        }

        private void release() {
            int bytes;
            synchronized (this) {
                bytes = unconsumed;
                unconsumed = 0;
            }
            if (bytes > 0) {
                stream.consumed(bytes);
            }
        }

        @Override
        public void onFin(MeshStream from) {
            executor.execute(() -> other.stream.shutdownOutput());
        }

        @Override
        public void onReset(MeshStream from, ErrorCode code, String reason) {
            executor.execute(() -> {
                MeshStream target = other.stream;
                if (target != null) {
                    target.reset(code, reason);
                }
            });
        }
    }
}
