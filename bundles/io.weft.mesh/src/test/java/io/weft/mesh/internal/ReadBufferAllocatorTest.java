package io.weft.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.IoBufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadBufferAllocatorTest {

    private IoBufferAllocator original;
    private ExecutorService readThread;

    @BeforeEach
    void install() {
        original = IoBuffer.getAllocator();
        ReadBufferAllocator.acquire();
        readThread = Executors.newSingleThreadExecutor(ReadBufferAllocator.threadFactory("test-io"));
    }

    @AfterEach
    void uninstall() throws InterruptedException {
        readThread.shutdownNow();
        readThread.awaitTermination(5, TimeUnit.SECONDS);
        ReadBufferAllocator.release();
    }

    @Test
    void freedReadBufferServesNextRead() throws Exception {
        ByteBuffer[] lent = readThread.submit(() -> {
            IoBuffer first = IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES);
            ByteBuffer firstBytes = first.buf();
            first.put((byte) 7).flip();
            first.free();
            IoBuffer second = IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES);
            return new ByteBuffer[] {firstBytes, second.buf()};
        }).get();

        assertTrue(lent[0].isDirect());
        assertSame(lent[0], lent[1]);
        assertEquals(0, lent[1].position());
        assertEquals(ReadBufferAllocator.READ_BUFFER_BYTES, lent[1].limit());
    }

    @Test
    void unfreedReadBufferIsNotLentTwice() throws Exception {
        ByteBuffer[] lent = readThread.submit(() -> new ByteBuffer[] {
            IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES).buf(),
            IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES).buf()}).get();

        assertNotSame(lent[0], lent[1]);
    }

    @Test
    void otherSizesAndOtherThreadsGetPlainBuffers() throws Exception {
        IoBuffer otherSize = readThread.submit(() -> IoBuffer.allocate(1024)).get();
        IoBuffer otherThread = IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES);
        IoBuffer direct = IoBuffer.allocate(512, true);

        assertFalse(otherSize.isDirect());
        assertEquals(1024, otherSize.capacity());
        assertFalse(otherThread.isDirect());
        assertTrue(direct.isDirect());
    }

    @Test
    void otherBuffersKeepAllocatorInstalled() {
        // MINA 2.2's AbstractIoBuffer constructor installs its allocator for the whole JVM.
        IoBuffer.wrap(new byte[16]);
        IoBuffer.allocate(64).duplicate().slice();

        assertTrue(IoBuffer.getAllocator() instanceof ReadBufferAllocator);
    }

    @Test
    void freeOnOtherThreadKeepsBuffer() throws Exception {
        IoBuffer fromReadThread = readThread.submit(() -> IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES))
                .get();
        ByteBuffer bytes = fromReadThread.buf();
        fromReadThread.free();

        ByteBuffer next = readThread.submit(() -> IoBuffer.allocate(ReadBufferAllocator.READ_BUFFER_BYTES).buf()).get();

        assertNotSame(bytes, next);
    }

    @Test
    void lastReleaseRestoresReplacedAllocator() {
        ReadBufferAllocator.acquire();
        ReadBufferAllocator.release();
        assertTrue(IoBuffer.getAllocator() instanceof ReadBufferAllocator);

        ReadBufferAllocator.release();
        assertSame(original, IoBuffer.getAllocator());

        ReadBufferAllocator.acquire();
    }
}
