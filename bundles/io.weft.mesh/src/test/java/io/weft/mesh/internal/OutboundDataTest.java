package io.weft.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over of a borrowed payload between the writing thread and the thread that sends it. */
class OutboundDataTest {

    @Test
    void detachCopiesQueuedPayload() throws FrameDecodingException {
        ByteBuffer source = ByteBuffer.wrap("borrowed bytes".getBytes());
        OutboundData frame = OutboundData.borrowed(7, source, 8, false, true);

        frame.detach();
        Arrays.fill(source.array(), (byte) 0);
        Frame.Data decoded = (Frame.Data) Frames.decode(frame.toIoBuffer().buf(), 1024);

        assertThat(source.position()).as("position of the source after the frame took 8 bytes").isEqualTo(8);
        assertThat(decoded.streamId()).isEqualTo(7);
        assertThat(decoded.blocked()).isTrue();
        assertThat(new String(bytes(decoded.payload()))).isEqualTo("borrowed");
        assertThat(frame.size()).isEqualTo(Frames.HEADER_BYTES + 8);
    }

    @Test
    void detachWaitsForTheSendingThread() throws Exception {
        OutboundData frame = OutboundData.borrowed(1, ByteBuffer.allocate(64), 64, false, false);
        CountDownLatch senderHolds = new CountDownLatch(1);
        CountDownLatch mayRelease = new CountDownLatch(1);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            assertThat(frame.take()).isTrue();
            senderHolds.countDown();
            await(mayRelease);
            frame.release();
        });
        assertThat(senderHolds.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> detached = CompletableFuture.runAsync(frame::detach);
        Thread.sleep(50);
        boolean doneBeforeRelease = detached.isDone();
        mayRelease.countDown();
        detached.get(10, TimeUnit.SECONDS);
        sender.get(10, TimeUnit.SECONDS);

        assertThat(doneBeforeRelease).as("detach returned while the sender still used the payload").isFalse();
        assertThat(frame.take()).as("take after release").isFalse();
    }

    @Test
    void ownedFrameNeedsNoHandOver() {
        OutboundData frame = OutboundData.owned(3, ByteBuffer.allocate(16), 16, true, false);

        frame.detach();

        assertThat(frame.take()).as("take of an owned frame").isFalse();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
