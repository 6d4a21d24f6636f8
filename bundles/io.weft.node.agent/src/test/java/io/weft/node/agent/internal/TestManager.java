package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlProtocol;
import io.weft.control.ControlServer;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.DesiredState;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.control.RenewRequest;
import io.weft.control.RenewResponse;
import io.weft.control.state.DesiredStateDocument;
import io.weft.pki.CertificationRequests;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyType;
import io.weft.pki.Pem;
import io.weft.pki.TlsContexts;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The manager's side of the control protocol for tests: a real {@link ControlServer} with
 * mutual TLS on 127.0.0.1 that accepts every HELLO, records what nodes send, pushes signed
 * states and responds to renewals with certificates of the test CA.
 */
final class TestManager implements ControlListener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);

    private final TestPki pki;
    private final ControlServer server;
    private final InetSocketAddress address;
    final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    final BlockingQueue<ControlSession> accepted = new LinkedBlockingQueue<>();
    private volatile ControlSession current;

    private TestManager(TestPki pki, InetSocketAddress bindAddress, Set<BigInteger> revokedSerials)
            throws IOException {
        this.pki = pki;
        TestPki.Holder tls = pki.server();
        server = new ControlServer(TlsContexts.mutualTlsContext(tls.keys().getPrivate(), tls.chain(),
                pki.ca.rootCertificate(), () -> revokedSerials, Clock.systemUTC(), TestPki.RANDOM),
                ControlSettings.defaults(), this);
        address = server.bind(bindAddress);
    }

    static TestManager start(TestPki pki) throws IOException {
        return new TestManager(pki, new InetSocketAddress("127.0.0.1", 0), Set.of());
    }

    /**
     * Starts a manager whose trust manager rejects the serials in {@code revokedSerials} at each
     * handshake, also those added later, as the manager's revocation does.
     */
    static TestManager startRevoking(TestPki pki, Set<BigInteger> revokedSerials) throws IOException {
        return new TestManager(pki, new InetSocketAddress("127.0.0.1", 0), revokedSerials);
    }

    /** Starts a manager on the port of an earlier one, as after a manager restart. */
    static TestManager restart(TestPki pki, int port) throws IOException {
        return new TestManager(pki, new InetSocketAddress("127.0.0.1", port), Set.of());
    }

    /** Starts a manager on the port of an earlier one whose trust manager rejects {@code revokedSerials}. */
    static TestManager restartRevoking(TestPki pki, int port, Set<BigInteger> revokedSerials) throws IOException {
        return new TestManager(pki, new InetSocketAddress("127.0.0.1", port), revokedSerials);
    }

    String controlAddress() {
        return "127.0.0.1:" + address.getPort();
    }

    int port() {
        return address.getPort();
    }

    @Override
    public void messageReceived(ControlSession session, ControlMessage message) {
        received.add(message);
        if (message instanceof Hello hello) {
            session.send(HelloAck.negotiate(ControlProtocol.SUPPORTED_VERSIONS, hello, 30));
            current = session;
            accepted.add(session);
        } else if (message instanceof RenewRequest request) {
            session.send(renew(request));
        }
    }

    /** Sends {@code message} on the current session. */
    void send(ControlMessage message) {
        current.send(message);
    }

    /** Sends a desired state signed by the test CA's state-signing certificate on the current session. */
    void push(DesiredStateDocument document) {
        push(document.revision(), pki.signState(document));
    }

    void push(long revision, byte[] envelope) {
        current.send(new DesiredState(revision, envelope));
    }

    /** Waits for the next message of {@code type}, skipping messages of other types. */
    <T extends ControlMessage> T await(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ControlMessage message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(message).as("a %s within %s", type.getSimpleName(), WAIT).isNotNull();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
    }

    ControlSession awaitSession() throws InterruptedException {
        ControlSession session = accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(session).as("a node session within %s", WAIT).isNotNull();
        return session;
    }

    private RenewResponse renew(RenewRequest request) {
        PublicKey key = CertificationRequests.validate(request.csrPem().getBytes(StandardCharsets.US_ASCII),
                KeyType.NODE_KEYS).publicKey();
        X509Certificate leaf = pki.ca.issue(IssueRequest.node(key, "n1", "plant1.acme.example", TestPki.NODE_ID));
        return RenewResponse.issued(Pem.toPem(pki.ca.chainFor(leaf)));
    }

    @Override
    public void close() {
        server.close();
    }
}
