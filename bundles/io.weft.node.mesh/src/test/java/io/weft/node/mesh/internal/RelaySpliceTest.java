package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The splice's forwarding and backpressure with recording streams, on the calling threads. */
class RelaySpliceTest {

    private final RelaySplice splice = new RelaySplice("service:echo from 'a' to 'b'");
    private final RecordingStream source = new RecordingStream();
    private final RecordingStream destination = new RecordingStream();
    private final MeshStreamHandler sourceHandler = splice.inbound(source);

    RelaySpliceTest() {
        splice.attachOutbound(destination);
    }

    @Test
    void dataIsForwardedAndConsumed() {
        sourceHandler.onData(source, ByteBuffer.wrap(new byte[] {1, 2, 3}));

        assertThat(destination.written).containsExactly(3);
        assertThat(source.consumedBytes).isEqualTo(3);
    }

    @Test
    void fullDestinationHoldsConsumedUntilWritable() {
        destination.room = false;

        sourceHandler.onData(source, ByteBuffer.allocate(100));
        sourceHandler.onData(source, ByteBuffer.allocate(50));
        int consumedWhileFull = source.consumedBytes;
        destination.room = true;
        splice.outbound().onWritable(destination);

        assertThat(consumedWhileFull).as("bytes reported consumed while the destination is full").isZero();
        assertThat(source.consumedBytes).as("bytes reported consumed once writable").isEqualTo(150);
    }

    @Test
    void writableDuringForwardIsNotLost() throws InterruptedException {
        destination.room = false;
        destination.duringWrite = () -> {
            Thread other = new Thread(() -> splice.outbound().onWritable(destination));
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        sourceHandler.onData(source, ByteBuffer.allocate(70));

        assertThat(source.consumedBytes).as("bytes released by the writable event that raced the forward")
                .isEqualTo(70);
    }

    @Test
    void dataDuringForwardIsCopiedAndKeepsOrder() {
        ByteBuffer second = ByteBuffer.wrap(new byte[] {9, 9});
        destination.duringWrite = () -> {
            destination.duringWrite = () -> { };
            Thread other = new Thread(() -> {
                sourceHandler.onData(source, second);
                second.clear().put(new byte[] {0, 0});
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        sourceHandler.onData(source, ByteBuffer.allocate(5));

        assertThat(destination.written).containsExactly(5, 2);
        assertThat(destination.lastBytes).as("bytes of the queued data after its buffer was reused")
                .containsExactly(9, 9);
        assertThat(source.consumedBytes).isEqualTo(7);
    }

    @Test
    void finAndResetPassThrough() {
        sourceHandler.onFin(source);
        splice.outbound().onReset(destination, ErrorCode.CANCEL, "gone");

        assertThat(destination.outputShutdown).isTrue();
        assertThat(source.resetCode).isEqualTo(ErrorCode.CANCEL);
    }

    /** A stream that records what the splice does to it. */
    private static final class RecordingStream implements MeshStream {
        final List<Integer> written = new ArrayList<>();
        volatile boolean room = true;
        Runnable duringWrite = () -> { };
        byte[] lastBytes;
        int consumedBytes;
        boolean outputShutdown;
        ErrorCode resetCode;

        @Override
        public int id() {
            return 1;
        }

        @Override
        public String target() {
            return "service:echo";
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public MeshTunnel tunnel() {
            return null;
        }

        @Override
        public boolean isLocal() {
            return false;
        }

        @Override
        public boolean write(ByteBuffer data) {
            written.add(data.remaining());
            lastBytes = new byte[data.remaining()];
            data.get(lastBytes);
            duringWrite.run();
            return room;
        }

        @Override
        public boolean isWritable() {
            return room;
        }

        @Override
        public void shutdownOutput() {
            outputShutdown = true;
        }

        @Override
        public synchronized void consumed(int bytes) {
            consumedBytes += bytes;
        }

        @Override
        public void reset(ErrorCode code, String reason) {
            resetCode = code;
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public long bytesReceived() {
            return 0;
        }
    }
}
