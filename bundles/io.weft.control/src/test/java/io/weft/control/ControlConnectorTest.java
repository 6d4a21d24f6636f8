package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several nodes, each with its own certificate and listener, on one shared connector. */
class ControlConnectorTest {

    private static final Hello HELLO = new Hello(ControlProtocol.SUPPORTED_VERSIONS, "1.0.0-test", 0, 1_234);
    private static final Duration WAIT = RecordingListener.WAIT;

    private static TestPki pki;
    private static TestPki.Identity managerIdentity;
    private static TestPki.Identity firstNode;
    private static TestPki.Identity secondNode;

    private RecordingListener manager;
    private ControlServer server;
    private ControlConnector connector;
    private InetSocketAddress managerAddress;

    @BeforeAll
    static void createCertificates() throws Exception {
        pki = TestPki.create();
        managerIdentity = pki.issueManager();
        firstNode = pki.issueNode("node1.east.acme.example");
        secondNode = pki.issueNode("node2.east.acme.example");
    }

    @BeforeEach
    void startServerAndConnector() throws Exception {
        manager = RecordingListener.manager(30);
        server = new ControlServer(pki.sslContext(managerIdentity), ControlSettings.defaults(), manager);
        int port = server.bind(new InetSocketAddress("127.0.0.1", 0)).getPort();
        managerAddress = new InetSocketAddress("127.0.0.1", port);
        connector = new ControlConnector(ControlSettings.defaults(), 1);
    }

    @AfterEach
    void closeAll() {
        connector.close();
        server.close();
    }

    @Test
    void nodesPresentTheirOwnCertificates() throws Exception {
        RecordingListener first = RecordingListener.node(HELLO);
        RecordingListener second = RecordingListener.node(HELLO);

        connect(firstNode, first);
        connect(secondNode, second);
        first.awaitMessage(HelloAck.class);
        second.awaitMessage(HelloAck.class);
        Set<String> subjects = Set.of(manager.awaitOpened(), manager.awaitOpened()).stream()
                .map(session -> session.peerCertificate().getSubjectX500Principal().getName())
                .collect(Collectors.toSet());

        assertThat(subjects).containsExactlyInAnyOrder("CN=node1.east.acme.example", "CN=node2.east.acme.example");
        assertThat(connector.sessionCount()).isEqualTo(2);
        assertThat(server.sessionCount()).isEqualTo(2);
    }

    @Test
    void messagesReachOnlyTheirSessionsListener() throws Exception {
        RecordingListener first = RecordingListener.node(HELLO);
        RecordingListener second = RecordingListener.node(HELLO);
        connect(firstNode, first);
        first.awaitMessage(HelloAck.class);
        ControlSession firstOnManager = manager.awaitOpened();
        connect(secondNode, second);
        second.awaitMessage(HelloAck.class);
        manager.awaitOpened();
        byte[] envelope = "signed desired state".getBytes(StandardCharsets.UTF_8);

        firstOnManager.send(new DesiredState(7, envelope));

        assertThat(first.awaitMessage(DesiredState.class)).isEqualTo(new DesiredState(7, envelope));
        assertThat(Stream.generate(() -> pollMessage(manager)).filter(StateAck.class::isInstance).findFirst())
                .contains(StateAck.applied(7));
        assertThat(second.messages).as("messages of the second node after its HELLO_ACK").isEmpty();
    }

    @Test
    void failedHandshakeLeavesOtherSessionsOpen() throws Exception {
        RecordingListener first = RecordingListener.node(HELLO);
        RecordingListener withoutCertificate = RecordingListener.node(HELLO);
        ControlSession firstSession = connect(firstNode, first).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.awaitMessage(HelloAck.class);

        CompletableFuture<ControlSession> rejected = connector.connect(managerAddress,
                pki.sslContextWithoutCertificate(), withoutCertificate);

        awaitFailedOrClosed(rejected, withoutCertificate);
        assertThat(firstSession.isConnected()).isTrue();
        assertThat(first.closed).isEmpty();
        assertThat(manager.messages.stream().filter(Hello.class::isInstance).count())
                .as("HELLOs received by the manager").isEqualTo(1);
    }

    @Test
    void closeEndsEverySession() throws Exception {
        RecordingListener first = RecordingListener.node(HELLO);
        RecordingListener second = RecordingListener.node(HELLO);
        ControlSession firstSession = connect(firstNode, first).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ControlSession secondSession = connect(secondNode, second).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.awaitMessage(HelloAck.class);
        second.awaitMessage(HelloAck.class);

        connector.close();

        assertThat(first.awaitClosed()).isSameAs(firstSession);
        assertThat(second.awaitClosed()).isSameAs(secondSession);
        assertThat(manager.awaitClosed()).isNotNull();
        assertThat(manager.awaitClosed()).isNotNull();
    }

    @Test
    void constructorRejectsZeroIoThreads() {
        assertThatThrownBy(() -> new ControlConnector(ControlSettings.defaults(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioThreads");
    }

    private CompletableFuture<ControlSession> connect(TestPki.Identity node, ControlListener listener)
            throws Exception {
        return connector.connect(managerAddress, pki.sslContext(node), listener);
    }

    private static ControlMessage pollMessage(RecordingListener listener) {
        try {
            ControlMessage message = listener.messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("message within %s", WAIT).isNotNull();
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a message", e);
        }
    }

    /** Waits until the connection attempt fails or its session closes, as a rejected handshake may do either. */
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
