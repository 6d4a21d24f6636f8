package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.mina.core.buffer.IoBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Manager and node endpoints talking over mutual TLS on 127.0.0.1, each on a free port. */
class ControlLoopbackTest {

    private static final Hello HELLO = new Hello(ControlProtocol.SUPPORTED_VERSIONS, "1.0.0-test", 0, 1_234);
    private static final Duration WAIT = RecordingListener.WAIT;

    private static TestPki pki;
    private static TestPki.Identity managerIdentity;
    private static TestPki.Identity nodeIdentity;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private SSLContext managerContext;
    private SSLContext nodeContext;
    private InetSocketAddress serverAddress;
    private ControlServer server;

    @BeforeAll
    static void createCertificates() throws Exception {
        pki = TestPki.create();
        managerIdentity = pki.issueManager();
        nodeIdentity = pki.issueNode("node1.east.acme.example");
    }

    @BeforeEach
    void createContexts() throws Exception {
        managerContext = pki.sslContext(managerIdentity);
        nodeContext = pki.sslContext(nodeIdentity);
    }

    @AfterEach
    void closeResources() throws Exception {
        Collections.reverse(resources);
        Exception failure = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void mutualTlsExchangesHelloAndState() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);
        RecordingListener node = RecordingListener.node(HELLO);
        ControlClient client = startClient(nodeContext, ControlSettings.defaults(), node);
        byte[] envelope = "signed desired state".getBytes(StandardCharsets.UTF_8);

        ControlSession nodeSession = client.connect(loopback()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ControlSession managerSession = manager.awaitOpened();
        Hello hello = manager.awaitMessage(Hello.class);
        HelloAck ack = node.awaitMessage(HelloAck.class);
        managerSession.send(new DesiredState(7, envelope)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        DesiredState state = node.awaitMessage(DesiredState.class);
        StateAck stateAck = manager.awaitMessage(StateAck.class);
        nodeSession.send(new Status("1.0.0-test", 2_000, 7, Map.of("tunnels", "2")));
        Status status = manager.awaitMessage(Status.class);

        assertThat(hello).isEqualTo(HELLO);
        assertThat(ack).isEqualTo(HelloAck.accept(2, 30));
        assertThat(state).isEqualTo(new DesiredState(7, envelope));
        assertThat(stateAck).isEqualTo(StateAck.applied(7));
        assertThat(status.extensions()).containsEntry("tunnels", "2");
        assertThat(managerSession.peerCertificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=node1.east.acme.example");
        assertThat(managerSession.peerCertificateChain()).hasSize(2);
        assertThat(nodeSession.peerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=manager.test");
        assertThat(server.sessionCount()).isEqualTo(1);
    }

    @Test
    void closingClientReportsClosedOnBothSides() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);
        RecordingListener node = RecordingListener.node(HELLO);
        ControlClient client = startClient(nodeContext, ControlSettings.defaults(), node);
        ControlSession nodeSession = client.connect(loopback()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        node.awaitMessage(HelloAck.class);

        nodeSession.close();

        assertThat(node.awaitClosed()).isSameAs(nodeSession);
        assertThat(manager.awaitClosed().peerCertificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=node1.east.acme.example");
    }

    @Test
    void clientWithoutCertificateFailsHandshake() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);
        RecordingListener node = RecordingListener.node(HELLO);
        ControlClient client = startClient(pki.sslContextWithoutCertificate(), ControlSettings.defaults(), node);

        CompletableFuture<ControlSession> connecting = client.connect(loopback());

        awaitFailedOrClosed(connecting, node);
        assertThat(manager.opened).as("sessions opened on the manager").isEmpty();
        assertThat(manager.messages).as("messages received by the manager").isEmpty();
    }

    @Test
    void clientWithoutCertificateReceivesAlert() throws Exception {
        startServer(ControlSettings.defaults(), RecordingListener.manager(30));
        SSLContext withoutCertificate = pki.sslContextWithoutCertificate();

        try (SSLSocket socket = (SSLSocket) withoutCertificate.getSocketFactory().createSocket(
                InetAddress.getLoopbackAddress(), serverAddress.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.startHandshake();

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .as("the manager's alert that tells the client why")
                    .hasStackTraceContaining("certificate_required");
        }
    }

    @Test
    void tls11OnlyClientIsRejected() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);

        byte[] reply = exchangeRaw(tls11ClientHello());

        assertThat(reply).as("reply to a TLS 1.1 ClientHello: a fatal protocol_version alert record")
                .startsWith(21, 3)
                .hasSizeGreaterThanOrEqualTo(7);
        assertThat(reply[5]).as("alert level fatal").isEqualTo((byte) 2);
        assertThat(reply[6]).as("alert protocol_version").isEqualTo((byte) 70);
        assertThat(manager.opened).as("sessions opened on the manager").isEmpty();
    }

    @Test
    void garbageBytesCloseSession() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);

        byte[] reply = exchangeRaw("GET / HTTP/1.1\r\nHost: manager\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(reply.length == 0 || reply[0] == 21)
                .as("reply to plain HTTP is nothing or a TLS alert record").isTrue();
        assertThat(manager.opened).as("sessions opened on the manager").isEmpty();
    }

    @Test
    void oversizedFrameAfterHandshakeGetsErrorAndClose() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);
        RawPeer peer = track(RawPeer.connect(nodeContext, loopback()));
        peer.awaitSecured();

        peer.write(IoBuffer.wrap(ByteBuffer.allocate(5).putInt(1 << 30).put((byte) FrameType.HELLO.code()).flip()));

        ErrorMessage error = peer.awaitMessage(ErrorMessage.class);
        assertThat(error.code()).isEqualTo(ErrorMessage.PROTOCOL_VIOLATION);
        assertThat(error.message())
                .isEqualTo("Invalid frame length 1073741824: it exceeds the maximum payload size of 1048576 bytes");
        peer.awaitClosed();
        assertThat(manager.awaitClosed()).isNotNull();
    }

    @Test
    void messageBeforeHelloGetsErrorAndClose() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);
        RecordingListener node = new RecordingListener(
                session -> session.send(new Status("1.0.0-test", 1, 0, Map.of())), (session, message) -> { });
        ControlClient client = startClient(nodeContext, ControlSettings.defaults(), node);

        client.connect(loopback());

        ErrorMessage error = node.awaitMessage(ErrorMessage.class);
        assertThat(error.message())
                .isEqualTo("Protocol violation: expected HELLO as the first message, but received STATUS");
        node.awaitClosed();
        assertThat(manager.messages).isEmpty();
    }

    @Test
    void rejectedHelloNamesVersionsAndCloses() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults(), manager);
        RecordingListener node = RecordingListener.node(new Hello(new VersionRange(5, 6), "9.0.0", 0, 1));
        ControlClient client = startClient(nodeContext, ControlSettings.defaults(), node);

        client.connect(loopback());

        HelloAck ack = node.awaitMessage(HelloAck.class);
        assertThat(ack.accepted()).isFalse();
        assertThat(ack.reason()).isEqualTo("No common control protocol version: the node supports versions 5 to 6 "
                + "and the manager supports version 2. Upgrade the older side.");
        node.awaitClosed();
        manager.awaitClosed();
    }

    @Test
    void silentTcpClientClosedAfterHandshakeTimeout() throws Exception {
        startServer(ControlSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300)),
                RecordingListener.manager(30));
        long start = System.nanoTime();

        byte[] reply = exchangeRaw(new byte[0]);

        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(reply).isEmpty();
        assertThat(elapsedMillis).as("time until the manager closed the connection, in ms").isBetween(250L, 5_000L);
    }

    @Test
    void connectionsBeyondHandshakeLimitWait() throws Exception {
        startServer(ControlSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(30)),
                RecordingListener.manager(30));
        int limit = ControlServer.MAX_CONCURRENT_HANDSHAKES;

        for (int i = 0; i < limit + 3; i++) {
            track(new Socket(serverAddress.getAddress(), serverAddress.getPort()));
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.sessionCount() != limit + 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.sessionCount()).as("connections kept while they wait for a handshake slot")
                .isEqualTo(limit + 3);
    }

    @Test
    void queuedNodeCompletesHandshakeWhenSlotFrees() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(30)), manager);
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < ControlServer.MAX_CONCURRENT_HANDSHAKES; i++) {
            silent.add(track(new Socket(serverAddress.getAddress(), serverAddress.getPort())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.sessionCount() != silent.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        RawPeer peer = track(RawPeer.connect(nodeContext, loopback()));

        silent.get(0).close();

        peer.awaitSecured();
        peer.write(HELLO);
        assertThat(peer.awaitMessage(HelloAck.class).accepted()).isTrue();
    }

    @Test
    void queuedNodeOutlastsHelloTimeout() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(20))
                .withHelloTimeout(Duration.ofMillis(500)), manager);
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < ControlServer.MAX_CONCURRENT_HANDSHAKES; i++) {
            silent.add(track(new Socket(serverAddress.getAddress(), serverAddress.getPort())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.sessionCount() != silent.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        RawPeer peer = track(RawPeer.connect(nodeContext, loopback()));

        Thread.sleep(1_500);
        silent.get(0).close();

        peer.awaitSecured();
        peer.write(HELLO);
        assertThat(peer.awaitMessage(HelloAck.class).accepted())
                .as("HELLO_ACK after waiting 1.5 s for a handshake slot, three times the HELLO timeout").isTrue();
    }

    @Test
    void nodeClosesWhenHandshakeStalls() throws Exception {
        try (ServerSocket silentManager = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RecordingListener node = RecordingListener.node(HELLO);
            ControlClient client = startClient(nodeContext,
                    ControlSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300)), node);
            long start = System.nanoTime();

            CompletableFuture<ControlSession> connecting = client.connect(
                    new InetSocketAddress("127.0.0.1", silentManager.getLocalPort()));

            awaitFailedOrClosed(connecting, node);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(connecting).isCompletedExceptionally();
            assertThat(elapsedMillis).as("time until the node gave up the handshake, in ms").isBetween(250L, 5_000L);
        }
    }

    @Test
    void silentTlsClientClosedAfterHelloTimeout() throws Exception {
        RecordingListener manager = RecordingListener.manager(30);
        startServer(ControlSettings.defaults().withHelloTimeout(Duration.ofMillis(500)), manager);
        RawPeer peer = track(RawPeer.connect(nodeContext, loopback()));

        peer.awaitSecured();

        peer.awaitClosed();
        assertThat(manager.awaitOpened()).isNotNull();
        assertThat(manager.awaitClosed()).isNotNull();
    }

    @Test
    void managerClosesNodeThatStopsHeartbeats() throws Exception {
        RecordingListener manager = RecordingListener.manager(1);
        startServer(ControlSettings.defaults().withHeartbeatIntervalSeconds(1).withMaxMissedHeartbeats(1), manager);
        RawPeer peer = track(RawPeer.connect(nodeContext, loopback()));
        peer.awaitSecured();

        peer.write(HELLO);
        assertThat(peer.awaitMessage(HelloAck.class).heartbeatIntervalSeconds()).isEqualTo(1);
        long ackedAt = System.nanoTime();

        long closedAt = peer.awaitClosed();
        assertThat(TimeUnit.NANOSECONDS.toMillis(closedAt - ackedAt))
                .as("silence before the manager closed, in ms; 2 s of reader idle expected").isGreaterThan(1_500);
        assertThat(manager.awaitClosed()).isNotNull();
    }

    @Test
    void nodeClosesSessionWhenManagerStopsAnswering() throws Exception {
        RawPeer rawManager = track(RawPeer.listen(managerContext));
        RecordingListener node = RecordingListener.node(HELLO);
        ControlClient client = startClient(nodeContext, ControlSettings.defaults().withMaxMissedHeartbeats(1), node);

        client.connect(new InetSocketAddress("127.0.0.1", rawManager.localAddress().getPort()));
        assertThat(node.awaitMessage(HelloAck.class).heartbeatIntervalSeconds()).isEqualTo(1);

        node.awaitClosed();
        assertThat(rawManager.awaitMessage(Hello.class)).isEqualTo(HELLO);
        assertThat(rawManager.awaitMessage(Heartbeat.class).sequence()).isEqualTo(1);
    }

    @Test
    void heartbeatsKeepIdleSessionOpen() throws Exception {
        RecordingListener manager = RecordingListener.manager(1);
        startServer(ControlSettings.defaults().withMaxMissedHeartbeats(1), manager);
        RecordingListener node = RecordingListener.node(HELLO);
        ControlClient client = startClient(nodeContext, ControlSettings.defaults().withMaxMissedHeartbeats(1), node);
        ControlSession nodeSession = client.connect(loopback()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        node.awaitMessage(HelloAck.class);

        ControlSession closed = node.closed.poll(4_500, TimeUnit.MILLISECONDS);

        assertThat(closed).as("session closed during 4.5 s with 2 s of reader idle on both sides").isNull();
        assertThat(nodeSession.isConnected()).isTrue();
        assertThat(manager.closed).isEmpty();
        assertThat(manager.messages).as("heartbeats stay below the listener").hasSize(1);
    }

    @Test
    void closeStopsAllThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RecordingListener manager = RecordingListener.manager(30);
        ControlServer ownServer = startServer(ControlSettings.defaults().withHandlerThreads(2), manager);
        RecordingListener node = RecordingListener.node(HELLO);
        ControlClient client = startClient(nodeContext, ControlSettings.defaults().withHandlerThreads(1), node);
        client.connect(loopback()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        node.awaitMessage(HelloAck.class);

        client.close();
        ownServer.close();

        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                // NOTE: MINA 2.2.10 runs TLS handshake tasks on one static pool of daemon threads
                // named ssl-exec-*, shared by every SslFilter of the JVM and never shut down.
                .filter(thread -> !thread.getName().startsWith("ssl-exec"))
                .toList();
        for (Thread thread : started) {
            thread.join(WAIT.toMillis());
        }
        assertThat(started.stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toList()))
                .as("threads still alive after close").isEmpty();
        assertThat(manager.closed).hasSize(1);
    }

    private ControlServer startServer(ControlSettings settings, ControlListener listener) throws IOException {
        server = track(new ControlServer(managerContext, settings, listener));
        serverAddress = server.bind(new InetSocketAddress("127.0.0.1", 0));
        return server;
    }

    private ControlClient startClient(SSLContext context, ControlSettings settings, ControlListener listener) {
        return track(new ControlClient(context, settings, listener));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", serverAddress.getPort());
    }

    /** Sends {@code request} on a plain TCP socket and returns all bytes until the server closes. */
    private byte[] exchangeRaw(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(loopback(), (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readUntilClosed(socket.getInputStream());
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                reply.write(chunk, 0, read);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + WAIT + " after sending "
                    + reply.size() + " bytes", e);
        } catch (java.net.SocketException e) {
            // A reset after the server's close also ends the connection.
        }
        return reply.toByteArray();
    }

    /**
     * Returns a ClientHello that offers TLS 1.1 only: record and client version 3.2, no
     * supported_versions extension, and two CBC cipher suites of that era.
     */
    private static byte[] tls11ClientHello() {
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 2 + 4 + 2);
        body.put((byte) 3).put((byte) 2);
        body.put(new byte[32]);
        body.put((byte) 0);
        body.putShort((short) 4).putShort((short) 0xC013).putShort((short) 0x002F);
        body.put((byte) 1).put((byte) 0);
        byte[] hello = body.array();

        ByteBuffer record = ByteBuffer.allocate(5 + 4 + hello.length);
        record.put((byte) 22).put((byte) 3).put((byte) 2).putShort((short) (4 + hello.length));
        record.put((byte) 1).put((byte) 0).putShort((short) hello.length);
        record.put(hello);
        return record.array();
    }

    /**
     * Waits until the connection attempt fails or its session closes. With TLS 1.3 a client
     * may complete its side of the handshake before the server rejects its missing certificate,
     * so either outcome shows the rejection.
     */
    private static void awaitFailedOrClosed(CompletableFuture<ControlSession> connecting, RecordingListener node)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (connecting.isCompletedExceptionally() || !node.closed.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the connection neither failed nor closed within " + WAIT);
    }
}
