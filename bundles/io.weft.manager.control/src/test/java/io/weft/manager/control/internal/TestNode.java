package io.weft.manager.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.weft.control.ControlClient;
import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlProtocol;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.DesiredState;
import io.weft.control.Hello;
import io.weft.control.StateAck;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;

/**
 * A node on the real {@link ControlClient}: its own key and certificate, a HELLO on connect,
 * every received message recorded, and each desired state acknowledged as applied.
 */
final class TestNode implements ControlListener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final BlockingQueue<ControlMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ControlSession> closed = new LinkedBlockingQueue<>();
    private final ControlClient client;
    private volatile ControlSession session;

    private TestNode(KeyPair keys, List<X509Certificate> chain, TestManagerPki pki) {
        var context = TlsContexts.mutualTlsContext(keys.getPrivate(), chain, pki.rootCertificate(),
                pki::revokedSerials, TestManagerPki.CLOCK, TestManagerPki.RANDOM);
        this.client = new ControlClient(context, ControlSettings.defaults(), this);
    }

    /** Returns a node with a certificate for {@code nodeId}, which the store need not know. */
    static TestNode withCertificate(TestManagerPki pki, String name, String domain, String nodeId) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestManagerPki.RANDOM);
        X509Certificate certificate = pki.issueDirectly(keys, name, domain, nodeId);
        return new TestNode(keys, pki.chainFor(certificate), pki);
    }

    ControlSession connect(InetSocketAddress manager)
            throws InterruptedException, ExecutionException, TimeoutException {
        session = client.connect(manager).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return session;
    }

    ControlSession session() {
        return session;
    }

    @Override
    public void sessionOpened(ControlSession opened) {
        opened.send(new Hello(ControlProtocol.SUPPORTED_VERSIONS, "1.0.0-test", 0, 1_000));
    }

    @Override
    public void messageReceived(ControlSession from, ControlMessage message) {
        messages.add(message);
        if (message instanceof DesiredState state) {
            from.send(StateAck.applied(state.revision()));
        }
    }

    @Override
    public void sessionClosed(ControlSession ended) {
        closed.add(ended);
    }

    /** Waits for the next message of {@code type}, skipping others. */
    <T extends ControlMessage> T awaitMessage(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            ControlMessage message = messages.poll(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            assertThat(message).as("%s within %s", type.getSimpleName(), WAIT).isNotNull();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
    }

    void awaitClosed() throws InterruptedException {
        assertThat(closed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("session closed within %s", WAIT)
                .isNotNull();
    }

    @Override
    public void close() {
        client.close();
    }
}
