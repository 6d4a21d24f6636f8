package io.weft.node.mesh.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link TcpConnection} on a real loopback socket, driven by its {@link TcpReactor}. */
class TcpConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** More than the reactor's 64 KiB read buffer, so one read cannot take all of it. */
    private static final int PAYLOAD_BYTES = 512 * 1024;
    /** Bytes the peer must have written before the connection starts reading. */
    private static final int BACKLOG_BYTES = 160 * 1024;

    private final TcpReactor reactor = new TcpReactor("test");

    @AfterEach
    void closeReactor() {
        reactor.close();
    }

    @Test
    void pauseInReceivedStopsReadLoop() throws Exception {
        PausingHandler handler = new PausingHandler();

        try (ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeAll(peer, written));
            awaitWritten(written, writing);

            CompletableFuture<TcpConnection> connection = new CompletableFuture<>();
            reactor.execute(() -> connection.complete(reactor.adopt(accepted, handler)));
            assertThat(handler.firstRead.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("first read").isTrue();
            awaitReactorIdle();

            assertThat(handler.reads).as("reads after pauseReading in the first read").hasValue(1);

            connection.get(WAIT.toSeconds(), TimeUnit.SECONDS).resumeReading();
            writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(handler.allRead.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every byte read after resume")
                    .isTrue();
            assertThat(handler.bytes).as("bytes read").hasValue(PAYLOAD_BYTES);
        }
    }

    private static void writeAll(Socket peer, AtomicLong written) {
        byte[] chunk = new byte[16 * 1024];
        try {
            OutputStream out = peer.getOutputStream();
            for (int sent = 0; sent < PAYLOAD_BYTES; sent += chunk.length) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to the loopback connection failed", e);
        }
    }

    /**
     * Waits until the peer has written {@link #BACKLOG_BYTES}, so that bytes are waiting in the
     * socket beyond the first read, or until its writes block on full socket buffers.
     */
    private static void awaitWritten(AtomicLong written, CompletableFuture<Void> writing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (written.get() < BACKLOG_BYTES && !writing.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Waits until the reactor has finished the dispatch that contains the first read. */
    private void awaitReactorIdle() throws InterruptedException {
        CountDownLatch idle = new CountDownLatch(1);
        reactor.execute(idle::countDown);
        assertThat(idle.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reactor task ran").isTrue();
    }

    /** Pauses reading in its first {@code received} call, as a stream bridge does when the stream is full. */
    private static final class PausingHandler implements TcpConnection.Handler {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final CountDownLatch firstRead = new CountDownLatch(1);
        final CountDownLatch allRead = new CountDownLatch(1);

        @Override
        public void received(TcpConnection connection, ByteBuffer data) {
            if (reads.incrementAndGet() == 1) {
                connection.pauseReading();
                firstRead.countDown();
            }
            if (bytes.addAndGet(data.remaining()) == PAYLOAD_BYTES) {
                allRead.countDown();
            }
        }

        @Override
        public void inputEnded(TcpConnection connection) {
        }

        @Override
        public void written(TcpConnection connection, int count) {
        }

        @Override
        public void closed(TcpConnection connection, IOException failure) {
        }
    }
}
