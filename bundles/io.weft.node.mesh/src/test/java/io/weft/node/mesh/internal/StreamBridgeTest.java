package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshTunnel;
import io.weft.node.mesh.internal.tcp.TcpConnection;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A {@link StreamBridge} between a real loopback connection and a stream that records what the bridge reports. */
class StreamBridgeTest {

    @Test
    void dataBeforeAttachIsConsumed() throws Exception {
        try (TcpReactor reactor = new TcpReactor("test");
                ServerSocketChannel server = ServerSocketChannel.open();
                Socket peer = new Socket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.connect(server.getLocalAddress());
            peer.setSoTimeout(20_000);
            StreamBridge bridge = new StreamBridge("test flow", ended -> { });
            TcpConnection connection = reactor.accept(server.accept(), bridge);
            bridge.attach(connection);
            RecordingStream stream = new RecordingStream();

            // A service's banner that arrives while the call that opens the stream still runs.
            bridge.onData(stream, ByteBuffer.wrap("ready\n".getBytes(StandardCharsets.US_ASCII)));

            assertThat(peer.getInputStream().readNBytes(6)).as("bytes at the client")
                    .isEqualTo("ready\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(stream.consumed).as("bytes reported consumed to the stream").hasValue(6);
            assertThat(bridge.stream()).as("the stream the bridge took from the event").isSameAs(stream);
        }
    }

    /** Records the bytes reported consumed; the bridge calls nothing else in this test. */
    private static final class RecordingStream implements MeshStream {
        final AtomicInteger consumed = new AtomicInteger();

        @Override
        public void consumed(int bytes) {
            consumed.addAndGet(bytes);
        }

        @Override
        public int id() {
            return 1;
        }

        @Override
        public String target() {
            return "service:banner";
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public MeshTunnel tunnel() {
            throw new UnsupportedOperationException("not used by the bridge here");
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public boolean write(ByteBuffer data) {
            throw new UnsupportedOperationException("not used by the bridge here");
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void shutdownOutput() {
            throw new UnsupportedOperationException("not used by the bridge here");
        }

        @Override
        public void reset(ErrorCode code, String reason) {
            throw new UnsupportedOperationException("not used by the bridge here");
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public long bytesReceived() {
            return consumed.get();
        }
    }
}
