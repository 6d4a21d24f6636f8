package io.weft.node.mesh.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    @Test
    void readLimitBoundsEachRead() throws Exception {
        PausingHandler handler = new PausingHandler();
        handler.readLimit = 1000;
        handler.pauseOnFirstRead = false;

        try (ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeAll(peer, written));

            reactor.execute(() -> reactor.adopt(accepted, handler));
            writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(handler.allRead.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every byte read").isTrue();

            assertThat(handler.largestRead).as("largest read with a limit of 1000 bytes").hasValueLessThanOrEqualTo(1000);
            assertThat(handler.bytes).as("bytes read").hasValue(PAYLOAD_BYTES);
        }
    }

    @Test
    void connectToFullListenQueueTimesOut() throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The test never accepts, so once the listen queue is full the kernel drops further SYNs.
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket();
                queued.add(socket);
                try {
                    socket.connect(server.getLocalSocketAddress(), 200);
                } catch (IOException e) {
                    break;
                }
            }
            CompletableFuture<IOException> failure = new CompletableFuture<>();
            TcpConnection.Handler handler = new RecordingHandler() {
                @Override
                public void closed(TcpConnection connection, IOException cause) {
                    failure.complete(cause);
                }
            };

            reactor.connect((InetSocketAddress) server.getLocalSocketAddress(), handler, 500);

            assertThat(failure.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ConnectException.class)
                    .hasMessage("Connecting to " + server.getLocalSocketAddress() + " timed out after 500 ms");
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void writeOnIdleConnectionSendsOnCallerThread() throws Exception {
        RecordingHandler handler = new RecordingHandler();

        try (ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            TcpConnection connection = adopt(server.accept(), handler);

            connection.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));

            assertThat(handler.writtenBytes).as("bytes reported written").hasValue(3);
            assertThat(handler.writtenThreads).as("threads that reported written bytes")
                    .containsExactly(Thread.currentThread().getName());
            assertThat(peer.getInputStream().readNBytes(3)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void writesBeyondSocketBufferArriveInOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        int total = 8 * 1024 * 1024;
        byte[] expected = new byte[total];
        new java.util.Random(7).nextBytes(expected);

        try (ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            peer.setSoTimeout((int) WAIT.toMillis());
            TcpConnection connection = adopt(server.accept(), handler);

            for (int offset = 0, size = 1; offset < total; offset += size, size = size * 3 % 70_001 + 1) {
                connection.write(ByteBuffer.wrap(expected, offset, Math.min(size, total - offset)));
            }
            connection.shutdownOutput();
            byte[] received = peer.getInputStream().readAllBytes();

            assertThat(received).as("bytes at the peer, in order, then end of stream").isEqualTo(expected);
            awaitWrittenReported(handler, total);
            assertThat(handler.writtenBytes).as("bytes reported written").hasValue(total);
        }
    }

    @Test
    void acceptedConnectionKeepsWorkUntilItHasALoop() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        int total = 4 * 1024 * 1024;
        byte[] expected = new byte[total];
        new java.util.Random(11).nextBytes(expected);

        try (ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            peer.setSoTimeout((int) WAIT.toMillis());
            TcpConnection connection = reactor.accept(server.accept(), handler);

            // More than the socket buffers take, so the rest and the FIN wait for the loop.
            connection.write(ByteBuffer.wrap(expected));
            connection.shutdownOutput();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread.sleep(200);
            assertThat(received).as("no end of stream before the connection has a loop").isNotDone();

            connection.serveOn(Optional.empty());

            assertThat(received.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("bytes at the peer, then end of stream")
                    .isEqualTo(expected);
            awaitWrittenReported(handler, total);
            assertThat(handler.writtenBytes).as("bytes reported written").hasValue(total);
        }
    }

    @Test
    void abortBeforeTheLoopResetsOnceServed() throws Exception {
        RecordingHandler handler = new RecordingHandler();

        try (ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            peer.setSoTimeout((int) WAIT.toMillis());
            TcpConnection connection = reactor.accept(server.accept(), handler);

            connection.abort();
            connection.serveOn(Optional.empty());

            assertThatThrownBy(() -> peer.getInputStream().read())
                    .as("the peer's read after the abort").isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    /** Waits until {@code total} bytes were reported, since the last report follows the last write. */
    private static void awaitWrittenReported(RecordingHandler handler, long total) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (handler.writtenBytes.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private TcpConnection adopt(SocketChannel accepted, TcpConnection.Handler handler) throws Exception {
        CompletableFuture<TcpConnection> connection = new CompletableFuture<>();
        reactor.execute(() -> connection.complete(reactor.adopt(accepted, handler)));
        return connection.get(WAIT.toSeconds(), TimeUnit.SECONDS);
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

    /** Records the bytes reported written and the threads that reported them. */
    private static class RecordingHandler implements TcpConnection.Handler {
        final AtomicLong writtenBytes = new AtomicLong();
        final java.util.Set<String> writtenThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void received(TcpConnection connection, ByteBuffer data) {
        }

        @Override
        public void inputEnded(TcpConnection connection) {
        }

        @Override
        public void written(TcpConnection connection, int count) {
            writtenBytes.addAndGet(count);
            writtenThreads.add(Thread.currentThread().getName());
        }

        @Override
        public void closed(TcpConnection connection, IOException failure) {
        }
    }

    /** Pauses reading in its first {@code received} call, as a stream bridge does when the stream is full. */
    private static final class PausingHandler implements TcpConnection.Handler {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger largestRead = new AtomicInteger();
        final CountDownLatch firstRead = new CountDownLatch(1);
        final CountDownLatch allRead = new CountDownLatch(1);
        volatile int readLimit = Integer.MAX_VALUE;
        volatile boolean pauseOnFirstRead = true;

        @Override
        public int readLimit(TcpConnection connection) {
            return readLimit;
        }

        @Override
        public void received(TcpConnection connection, ByteBuffer data) {
            largestRead.accumulateAndGet(data.remaining(), Math::max);
            if (reads.incrementAndGet() == 1 && pauseOnFirstRead) {
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
