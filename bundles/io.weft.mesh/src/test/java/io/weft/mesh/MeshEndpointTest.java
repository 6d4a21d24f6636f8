package io.weft.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.mesh.internal.ReadBufferAllocator;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mesh endpoints on 127.0.0.1 over mutual TLS, with certificates from a Weft CA made for the test. */
class MeshEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GATEWAY = "gw1.east.acme.example";
    private static final String EDGE1 = "edge1.east.acme.example";
    private static final String EDGE2 = "edge2.east.acme.example";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path caDirectory;
    @TempDir
    static Path otherCaDirectory;

    private static CertificateAuthority ca;
    private static Identity gateway;
    private static Identity edge;
    private static Identity edge2;
    private static Identity stranger;

    private final Set<BigInteger> revokedSerials = ConcurrentHashMap.newKeySet();
    private final List<MeshEndpoint> endpoints = new ArrayList<>();
    private final ServerListener serverListener = new ServerListener();
    private Set<Thread> threadsBefore;

    /** A node's key and certificate chain, leaf first. */
    private record Identity(KeyPair keys, List<X509Certificate> chain) {
    }

    @BeforeAll
    static void createCertificates() throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
        gateway = issue(ca, "gw1", "node-gw1");
        edge = issue(ca, "edge1", "node-edge1");
        edge2 = issue(ca, "edge2", "node-edge2");
        CertificateAuthority otherCa = new CaFiles(Clock.systemUTC(), RANDOM).create(otherCaDirectory, "Other");
        stranger = issue(otherCa, "edge1", "node-edge1");
    }

    @BeforeEach
    void recordThreads() {
        threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    @AfterEach
    void closeEndpointsAndCheckThreads() throws InterruptedException {
        Collections.reverse(endpoints);
        endpoints.forEach(MeshEndpoint::close);

        List<String> leaked = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!threadsBefore.contains(thread)) {
                thread.join(WAIT.toMillis());
                if (thread.isAlive()) {
                    leaked.add(thread.getName());
                }
            }
        }
        assertThat(leaked).as("threads still running after the endpoints closed").isEmpty();
    }

    @Test
    void eightParallelStreamsArriveIntact() throws Exception {
        long reusedBefore = ReadBufferAllocator.reusedReads();
        MeshTunnel tunnel = uploadEight("upload-", false);
        assertThat(ReadBufferAllocator.reusedReads()).as("reads into the I/O threads' reused buffers")
                .isGreaterThan(reusedBefore);

        assertThat(tunnel.peer().fullName()).isEqualTo(GATEWAY);
        assertThat(tunnel.peer().nodeId()).isEqualTo("node-gw1");
        assertThat(serverListener.tunnels).singleElement()
                .satisfies(accepted -> assertThat(accepted.peer().nodeId()).isEqualTo("node-edge1"))
                .satisfies(accepted -> assertThat(accepted.peer().fullName()).isEqualTo("edge1.east.acme.example"));
        assertThat(tunnel.streamCount()).isZero();
    }

    @Test
    void reusedWriteBuffersArriveIntact() throws Exception {
        // Each writer overwrites its buffer as soon as a write returns, as a TCP bridge does.
        uploadEight("reused-", true);
    }

    /**
     * Uploads 2 MiB of random bytes on each of eight streams of one new tunnel at once, and
     * checks that each stream closes and arrives with the same SHA-256; returns the tunnel.
     */
    private MeshTunnel uploadEight(String prefix, boolean reuseBuffers) throws Exception {
        InetSocketAddress address = listen(context(gateway));
        MeshEndpoint client = endpoint("edge", context(edge), new ServerListener());
        MeshTunnel tunnel = client.dial(address, GATEWAY).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<byte[]> payloads = new ArrayList<>();
        List<Uploader> uploads = new ArrayList<>();

        for (int i = 0; i < 8; i++) {
            byte[] payload = new byte[2 * 1024 * 1024];
            RANDOM.nextBytes(payload);
            payloads.add(payload);
            uploads.add(reuseBuffers ? Uploader.startReusing(tunnel, prefix + i, payload)
                    : Uploader.start(tunnel, prefix + i, payload));
        }

        for (int i = 0; i < 8; i++) {
            assertThat(uploads.get(i).closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("stream %d closed", i)
                    .isTrue();
            assertThat(serverListener.digests.get(prefix + i).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("SHA-256 of stream %d as received", i).isEqualTo(sha256(payloads.get(i)));
        }
        return tunnel;
    }

    @Test
    void tunnelLoopServesOtherChannelsOnItsThread() throws Exception {
        InetSocketAddress address = listen(context(gateway));
        MeshEndpoint client = endpoint("edge", context(edge), new ServerListener());
        MeshTunnel tunnel = client.dial(address, GATEWAY).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        IoLoop loop = tunnel.ioLoop().orElseThrow();
        assertThat(loop.inLoop()).isFalse();

        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<String> read = new CompletableFuture<>();
        CompletableFuture<Boolean> closed = new CompletableFuture<>();
        CompletableFuture<Boolean> registered = new CompletableFuture<>();
        assertThat(loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, new IoLoop.ChannelHandler() {
                    @Override
                    public void ready(SelectionKey key) {
                        ByteBuffer bytes = ByteBuffer.allocate(16);
                        try {
                            pipe.source().read(bytes);
                        } catch (IOException e) {
                            read.completeExceptionally(e);
                        }
                        read.complete(loop.inLoop() + " " + new String(bytes.array(), 0, bytes.position(),
                                StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void loopClosed() {
                        closed.complete(true);
                    }
                });
                registered.complete(loop.inLoop());
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        })).isTrue();
        assertThat(registered.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("registered on the loop's thread").isTrue();

        pipe.sink().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        assertThat(read.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("true ping");

        // The loop still serves the tunnel: a stream's bytes arrive intact.
        byte[] payload = new byte[256 * 1024];
        RANDOM.nextBytes(payload);
        Uploader upload = Uploader.start(tunnel, "beside-a-pipe", payload);
        assertThat(upload.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(serverListener.digests.get("beside-a-pipe").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(sha256(payload));

        client.close();
        assertThat(closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the channel learns that the loop stopped")
                .isTrue();
        assertThat(loop.execute(() -> { })).as("a stopped loop takes no task").isFalse();
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void closedTunnelsReleaseTheirSockets() throws Exception {
        InetSocketAddress address = listen(context(gateway));
        MeshEndpoint client = endpoint("edge", context(edge), new ServerListener());
        // The first tunnel starts the I/O threads and their selectors.
        client.dial(address, GATEWAY).get(WAIT.toSeconds(), TimeUnit.SECONDS).close();
        awaitOpenTunnels(client, 0);
        long before = openDescriptors();

        for (int i = 0; i < 40; i++) {
            MeshTunnel tunnel = client.dial(address, GATEWAY).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tunnel.close();
        }
        awaitOpenTunnels(client, 0);

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (openDescriptors() > before + 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openDescriptors()).as("file descriptors after 40 tunnels opened and closed, from %d", before)
                .isLessThanOrEqualTo(before + 4);
    }

    private void awaitOpenTunnels(MeshEndpoint endpoint, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((endpoint.tunnels().size() != count || serverListener.openTunnels() != count)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Counts this JVM's open file descriptors, each socket among them. */
    private static long openDescriptors() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        }
    }

    @Test
    void clientWithoutCertificateIsRejected() throws Exception {
        InetSocketAddress address = listen(context(gateway));
        SSLContext anonymous = TlsContexts.sslContext(null,
                TlsContexts.trustManager(ca.rootCertificate(), Set::of, Clock.systemUTC()), RANDOM);
        MeshEndpoint client = endpoint("anonymous", anonymous, new ServerListener());

        CompletableFuture<MeshTunnel> dialling = client.dial(address, GATEWAY);

        assertFails(dialling);
        assertThat(serverListener.tunnels).isEmpty();
    }

    @Test
    void clientFromAnotherCaIsRejected() throws Exception {
        InetSocketAddress address = listen(context(gateway));
        SSLContext foreign = TlsContexts.mutualTlsContext(stranger.keys().getPrivate(), stranger.chain(),
                ca.rootCertificate(), Set::of, Clock.systemUTC(), RANDOM);
        MeshEndpoint client = endpoint("stranger", foreign, new ServerListener());

        CompletableFuture<MeshTunnel> dialling = client.dial(address, GATEWAY);

        assertFails(dialling);
        assertThat(serverListener.tunnels).isEmpty();
    }

    @Test
    void revokedClientIsRejected() throws Exception {
        InetSocketAddress address = listen(context(gateway));
        MeshEndpoint client = endpoint("edge", context(edge), new ServerListener());
        revokedSerials.add(edge.chain().get(0).getSerialNumber());

        CompletableFuture<MeshTunnel> dialling = client.dial(address, GATEWAY);

        assertFails(dialling);
        assertThat(serverListener.tunnels).isEmpty();
    }

    @Test
    void gatewayWithUnexpectedNameIsRejected() throws Exception {
        InetSocketAddress address = listen(context(gateway));
        MeshEndpoint client = endpoint("edge", context(edge), new ServerListener());

        CompletableFuture<MeshTunnel> dialling = client.dial(address, "gw2.east.acme.example");

        Throwable failure = assertFails(dialling);
        assertThat(failure).hasStackTraceContaining("gw2.east.acme.example");
        assertThat(serverListener.tunnels).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain HTTP | 'GET / HTTP/1.1\r\nHost: gw1\r\n\r\n' | closing after an error",
        "a relay preamble without a ticket | 'WEFT-RELAY please, with no ticket at all\n'"
                + " | neither TLS nor a Weft relay preamble"})
    void garbageBytesCloseSessionWithOneLogLine(String description, String input, String logged) throws Exception {
        InetSocketAddress address = listen(context(gateway));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        byte[] reply = withLogUntilItsFirstLine(log,
                () -> exchangeRaw(address, input.getBytes(StandardCharsets.US_ASCII)));

        assertThat(reply.length == 0 || reply[0] == 21).as("reply is nothing or a TLS alert record").isTrue();
        assertThat(meshLogLines(log)).as("log lines about the session").singleElement().asString()
                .contains("Mesh session").contains(logged);
        assertThat(serverListener.tunnels).isEmpty();
    }

    @Test
    void relayedTunnelCarriesStreamsThroughTheGatewaysSplice() throws Exception {
        Relay relay = relay();

        CompletableFuture<MeshTunnel> accepting = relay.destination().dialRelayed(relay.address(), relay.ticket(),
                EDGE1, false);
        MeshTunnel tunnel = relay.source().dialRelayed(relay.address(), relay.ticket(), EDGE2, true)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        MeshTunnel accepted = accepting.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(tunnel.peer().fullName()).isEqualTo(EDGE2);
        assertThat(tunnel.isDialer()).isTrue();
        assertThat(accepted.peer().fullName()).isEqualTo(EDGE1);
        assertThat(accepted.isDialer()).isFalse();
        assertThat(relay.gateway().splicedTunnels()).singleElement()
                .satisfies(spliced -> assertThat(spliced.source()).isEqualTo(EDGE1))
                .satisfies(spliced -> assertThat(spliced.destination()).isEqualTo(EDGE2));
        assertThat(serverListener.tunnels).as("tunnels that the gateway itself opened").isEmpty();
        byte[] payload = new byte[8 * 1024 * 1024];
        RANDOM.nextBytes(payload);
        Uploader upload = Uploader.start(tunnel, "relayed", payload);
        assertThat(upload.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(relay.destinationListener().digests.get("relayed").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(sha256(payload));

        assertThat(relay.gateway().splicedTunnels().get(0).bytes()).as("bytes that the gateway copied")
                .isGreaterThan(payload.length);
        tunnel.close();
        awaitRelayedTunnels(relay.gateway(), 0);
    }

    @Test
    void relayTicketWorksOnce() throws Exception {
        Relay relay = relay();
        CompletableFuture<MeshTunnel> accepting = relay.destination().dialRelayed(relay.address(), relay.ticket(),
                EDGE1, false);
        relay.source().dialRelayed(relay.address(), relay.ticket(), EDGE2, true).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        accepting.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Throwable failure = withLogUntilItsFirstLine(log,
                () -> assertFails(relay.source().dialRelayed(relay.address(), relay.ticket(), EDGE2, true)));

        assertThat(failure).hasMessageContaining("closed before its TLS handshake completed");
        assertThat(meshLogLines(log)).singleElement().asString().contains("relay ticket that is unknown, used or"
                + " expired");
        assertThat(relay.gateway().splicedTunnels()).hasSize(1);
    }

    @Test
    void offerRelayOneTicketPerPair() throws Exception {
        MeshEndpoint gatewayEndpoint = endpoint("gateway", context(gateway), serverListener);
        assertThatThrownBy(() -> gatewayEndpoint.offerRelay(EDGE1, EDGE2)).as("an offer before listening")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no listener");
        gatewayEndpoint.listen(new InetSocketAddress("127.0.0.1", 0));

        String first = gatewayEndpoint.offerRelay(EDGE1, EDGE2);

        assertThatThrownBy(() -> gatewayEndpoint.offerRelay(EDGE1, EDGE2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is being set up already");
        assertThat(gatewayEndpoint.offerRelay(EDGE2, EDGE1)).as("the ticket of the other direction")
                .isNotEqualTo(first).hasSize(43);
    }

    @Test
    void relayedTunnelChecksTheExpectedPeer() throws Exception {
        Relay relay = relay();

        CompletableFuture<MeshTunnel> accepting = relay.destination().dialRelayed(relay.address(), relay.ticket(),
                "edge3.east.acme.example", false);
        CompletableFuture<MeshTunnel> dialling = relay.source().dialRelayed(relay.address(), relay.ticket(), EDGE2,
                true);

        assertThat(assertFails(accepting)).hasStackTraceContaining("edge3.east.acme.example");
        assertFails(dialling);
        assertThat(relay.destinationListener().tunnels).isEmpty();
    }

    @Test
    void stalledRelayPreamblesLogOneLinePerAddress() throws Exception {
        MeshEndpoint gatewayEndpoint = new MeshEndpoint("gateway", context(gateway),
                MeshSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300)), serverListener);
        endpoints.add(gatewayEndpoint);
        InetSocketAddress address = gatewayEndpoint.listen(new InetSocketAddress("127.0.0.1", 0));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        List<byte[]> replies = withLogUntilItsFirstLine(log, () -> {
            List<CompletableFuture<byte[]>> stalled = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stalled.add(CompletableFuture.supplyAsync(() -> exchangeStalled(address, "WEFT")));
            }
            return stalled.stream().map(CompletableFuture::join).toList();
        });

        assertThat(replies).as("what each stalled connection received before the gateway closed it")
                .allSatisfy(reply -> assertThat(reply).isEmpty());
        assertThat(meshLogLines(log)).singleElement().asString()
                .contains("its relay preamble did not complete within 300 ms");
    }

    /** Sends {@code start} over plain TCP, then nothing, and returns what arrives until the server closes. */
    private static byte[] exchangeStalled(InetSocketAddress address, String start) {
        try {
            return exchangeRaw(address, start.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A listening gateway, two edges and a ticket that the gateway issued for them. */
    private record Relay(MeshEndpoint gateway, InetSocketAddress address, MeshEndpoint source,
            MeshEndpoint destination, ServerListener destinationListener, String ticket) {
    }

    private Relay relay() throws IOException {
        MeshEndpoint gatewayEndpoint = endpoint("gateway", context(gateway), serverListener);
        InetSocketAddress address = gatewayEndpoint.listen(new InetSocketAddress("127.0.0.1", 0));
        MeshEndpoint source = endpoint("edge1", context(edge), new ServerListener());
        ServerListener destinationListener = new ServerListener();
        MeshEndpoint destination = endpoint("edge2", context(edge2), destinationListener);
        return new Relay(gatewayEndpoint, address, source, destination, destinationListener,
                gatewayEndpoint.offerRelay(EDGE1, EDGE2));
    }

    private void awaitRelayedTunnels(MeshEndpoint gatewayEndpoint, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (gatewayEndpoint.splicedTunnels().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gatewayEndpoint.splicedTunnels()).hasSize(count);
    }

    private InetSocketAddress listen(SSLContext context) throws IOException {
        MeshEndpoint server = endpoint("gateway", context, serverListener);
        return server.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    private MeshEndpoint endpoint(String name, SSLContext context, MeshListener listener) {
        MeshEndpoint endpoint = new MeshEndpoint(name, context, MeshSettings.defaults(), listener);
        endpoints.add(endpoint);
        return endpoint;
    }

    private SSLContext context(Identity identity) {
        return TlsContexts.mutualTlsContext(identity.keys().getPrivate(), identity.chain(), ca.rootCertificate(),
                () -> revokedSerials, Clock.systemUTC(), RANDOM);
    }

    private static Identity issue(CertificateAuthority authority, String node, String nodeId) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = authority.issue(IssueRequest.node(keys.getPublic(), node, "east.acme.example", nodeId));
        return new Identity(keys, authority.chainFor(leaf));
    }

    private static Throwable assertFails(CompletableFuture<MeshTunnel> dialling) {
        assertThatThrownBy(() -> dialling.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("dial fails within %s", WAIT).isInstanceOf(ExecutionException.class);
        return dialling.handle((tunnel, failure) -> failure).join();
    }

    /** Sends {@code request} over plain TCP and returns what arrives until the server closes. */
    private static byte[] exchangeRaw(InetSocketAddress address, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    /** Runs {@code action} with the log going to {@code log}, and waits for the first mesh line before it returns. */
    private static <T> T withLogUntilItsFirstLine(ByteArrayOutputStream log, Callable<T> action) throws Exception {
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            T result = action.call();
            awaitLogLine(log);
            return result;
        } finally {
            System.setErr(originalErr);
        }
    }

    private static void awaitLogLine(ByteArrayOutputStream log) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (meshLogLines(log).isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static List<String> meshLogLines(ByteArrayOutputStream log) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("io.weft.mesh"))
                .collect(Collectors.toList());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts every stream, hashes what arrives, and on FIN records the digest and finishes its own direction. */
    static final class ServerListener implements MeshListener {
        final List<MeshTunnel> tunnels = new CopyOnWriteArrayList<>();
        final List<MeshTunnel> closedTunnels = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<String>> digests = new ConcurrentHashMap<>();

        @Override
        public void tunnelOpened(MeshTunnel tunnel) {
            tunnels.add(tunnel);
        }

        @Override
        public void tunnelClosed(MeshTunnel tunnel) {
            closedTunnels.add(tunnel);
        }

        int openTunnels() {
            return tunnels.size() - closedTunnels.size();
        }

        @Override
        public MeshStreamHandler streamOpened(MeshStream stream) {
            MessageDigest digest = newDigest();
            CompletableFuture<String> result = digests.computeIfAbsent(stream.target(), t -> new CompletableFuture<>());
            return new MeshStreamHandler() {
                @Override
                public void onData(MeshStream s, ByteBuffer data) {
                    int length = data.remaining();
                    digest.update(data);
                    s.consumed(length);
                }

                @Override
                public void onFin(MeshStream s) {
                    result.complete(HexFormat.of().formatHex(digest.digest()));
                    s.shutdownOutput();
                }

                @Override
                public void onReset(MeshStream s, ErrorCode code, String reason) {
                    result.completeExceptionally(new IOException("stream reset: " + code + " " + reason));
                }
            };
        }

        private static MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Writes a payload in 64 KiB chunks as fast as the stream accepts them, then FIN. A reusing
     * uploader copies each chunk into one buffer and overwrites it as soon as the write returns,
     * as a TCP bridge does with its read buffer.
     */
    static final class Uploader implements MeshStreamHandler {
        final CompletableFuture<Boolean> closed = new CompletableFuture<>();
        private final ByteBuffer remaining;
        private final ByteBuffer reused;
        private MeshStream stream;

        private Uploader(byte[] payload, boolean reuse) {
            this.remaining = ByteBuffer.wrap(payload);
            this.reused = reuse ? ByteBuffer.allocateDirect(64 * 1024) : null;
        }

        static Uploader start(MeshTunnel tunnel, String target, byte[] payload) {
            return start(new Uploader(payload, false), tunnel, target);
        }

        static Uploader startReusing(MeshTunnel tunnel, String target, byte[] payload) {
            return start(new Uploader(payload, true), tunnel, target);
        }

        private static Uploader start(Uploader uploader, MeshTunnel tunnel, String target) {
            synchronized (uploader) {
                uploader.stream = tunnel.openStream(target, Map.of("source", "edge1.east.acme.example"), uploader);
                uploader.writeSome();
            }
            return uploader;
        }

        private synchronized void writeSome() {
            boolean writable = true;
            while (writable && remaining.hasRemaining()) {
                ByteBuffer chunk = remaining.slice();
                chunk.limit(Math.min(chunk.remaining(), 64 * 1024));
                remaining.position(remaining.position() + chunk.remaining());
                if (reused == null) {
                    writable = stream.write(chunk);
                } else {
                    reused.clear().put(chunk).flip();
                    writable = stream.write(reused);
                    reused.clear();
                    while (reused.hasRemaining()) {
                        reused.put((byte) 0x5a);
                    }
                }
            }
            if (!remaining.hasRemaining()) {
                stream.shutdownOutput();
            }
        }

        @Override
        public void onWritable(MeshStream s) {
            writeSome();
        }

        @Override
        public void onData(MeshStream s, ByteBuffer data) {
            s.consumed(data.remaining());
        }

        @Override
        public void onReset(MeshStream s, ErrorCode code, String reason) {
            closed.completeExceptionally(new IOException("stream reset: " + code + " " + reason));
        }

        @Override
        public void onClosed(MeshStream s) {
            closed.complete(true);
        }
    }
}
