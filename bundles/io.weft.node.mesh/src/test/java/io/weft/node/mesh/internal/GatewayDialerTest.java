package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dialer against a gateway on 127.0.0.1 that closes every new tunnel right after the TLS
 * handshake. Jitter is zero, so the dialer retries at once and the test waits for retries, not
 * for delays.
 */
class GatewayDialerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "east.acme.example";
    /** Jitter source whose bounded draws are all 0, so every backoff delay is 0 ms. */
    private static final RandomGenerator NO_JITTER = () -> 0L;

    @TempDir
    static Path caDirectory;

    private static CertificateAuthority ca;

    private final AtomicInteger accepted = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private MeshEndpoint gatewayEndpoint;
    private InetSocketAddress gatewayAddress;
    private MeshEndpoint edgeEndpoint;
    private GatewayDialer dialer;
    private volatile MeshTunnel gatewayTunnel;

    @BeforeAll
    static void createCa() throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
    }

    @AfterEach
    void stop() {
        if (dialer != null) {
            dialer.stop();
        }
        scheduler.shutdownNow();
        if (edgeEndpoint != null) {
            edgeEndpoint.close();
        }
        if (gatewayEndpoint != null) {
            gatewayEndpoint.close();
        }
    }

    @Test
    void closeAfterHandshakeGrowsBackoff() throws Exception {
        startGatewayClosingTunnels(ErrorCode.NO_ERROR, Integer.MAX_VALUE);
        startDialer();

        await(() -> dialer.failures() >= 5, "five retries without a stable tunnel");

        assertThat(accepted.get()).as("tunnels that completed the handshake").isGreaterThanOrEqualTo(4);
        assertThat(dialer.failures()).as("retries counted since the last stable tunnel").isGreaterThanOrEqualTo(5);
    }

    @Test
    void peerRejectedBacksOffToMaximum() throws Exception {
        startGatewayClosingTunnels(ErrorCode.PEER_REJECTED, Integer.MAX_VALUE);
        startDialer();

        await(() -> dialer.lastDelay() != null, "the first retry");

        assertThat(dialer.lastDelay()).as("delay after a rejection")
                .isGreaterThanOrEqualTo(GatewayDialer.BACKOFF_CAP.dividedBy(2))
                .isLessThanOrEqualTo(GatewayDialer.BACKOFF_CAP);
        assertThat(accepted.get()).as("tunnels accepted before the long delay").isEqualTo(1);
    }

    @Test
    void stableTunnelResetsBackoff() throws Exception {
        startGatewayClosingTunnels(ErrorCode.NO_ERROR, 3);
        startDialer();
        await(() -> dialer.failures() == 3, "three retries");

        await(() -> dialer.failures() == 0, "the fourth tunnel to stay open");

        assertThat(accepted.get()).as("tunnels accepted").isEqualTo(4);
    }

    @Test
    void stableTunnelCloseGivesOpenTime() throws Exception {
        startGatewayClosingTunnels(ErrorCode.NO_ERROR, 0);
        startDialer();
        await(() -> gatewayTunnel != null, "the first tunnel");
        // Longer than the dialer's 500 ms, after which the tunnel counts as stable.
        Thread.sleep(700);

        gatewayTunnel.close(ErrorCode.NO_ERROR, "gateway restarting");
        await(() -> dialer.lastReason() != null, "the retry after the close");

        assertThat(dialer.lastReason()).startsWith("the tunnel closed with GOAWAY NO_ERROR after ").endsWith(" s open");
    }

    /** Starts a gateway that closes the first {@code count} new tunnels with a GOAWAY of {@code code}. */
    private void startGatewayClosingTunnels(ErrorCode code, int count) throws IOException {
        MeshListener listener = new MeshListener() {
            @Override
            public void tunnelOpened(MeshTunnel tunnel) {
                gatewayTunnel = tunnel;
                if (accepted.incrementAndGet() <= count) {
                    tunnel.close(code, "closed by the test gateway");
                }
            }

            @Override
            public MeshStreamHandler streamOpened(MeshStream stream) {
                return null;
            }
        };
        gatewayEndpoint = new MeshEndpoint("gw1", tls("gw1"), MeshSettings.defaults(), listener);
        gatewayAddress = gatewayEndpoint.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private void startDialer() throws IOException {
        GatewayAddress gateway = GatewayAddress.parse("gw1." + DOMAIN + "@127.0.0.1:" + gatewayAddress.getPort());
        MeshListener edgeListener = new MeshListener() {
            @Override
            public MeshStreamHandler streamOpened(MeshStream stream) {
                return null;
            }

            @Override
            public void tunnelClosed(MeshTunnel tunnel) {
                dialer.tunnelClosed(tunnel);
            }
        };
        edgeEndpoint = new MeshEndpoint("edge-b", tls("edge-b"), MeshSettings.defaults(), edgeListener);
        dialer = new GatewayDialer(gateway, edgeEndpoint, scheduler, Duration.ofMillis(500), NO_JITTER);
        dialer.start();
    }

    private static SSLContext tls(String node) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, "node-" + node));
        List<X509Certificate> chain = ca.chainFor(leaf);
        return TlsContexts.mutualTlsContext(keys.getPrivate(), chain, ca.rootCertificate(), Set::<BigInteger>of,
                Clock.systemUTC(), RANDOM);
    }

    /** Polls {@code condition} every 20 ms for at most {@link #WAIT}. */
    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting %s for %s", WAIT, description).isNegative();
            Thread.sleep(20);
        }
    }
}
