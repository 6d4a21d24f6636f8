import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlConnector;
import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlProtocol;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.DesiredState;
import io.weft.control.ErrorMessage;
import io.weft.control.ExponentialBackoff;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.control.StateAck;
import io.weft.control.Status;
import io.weft.control.state.AppDeployment;
import io.weft.control.state.DesiredStateDocument;
import io.weft.pki.AppSignatureVerifier;
import io.weft.pki.CertificationRequests;
import io.weft.pki.DocumentVerifier;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyPurpose;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;
import io.weft.pki.TlsContexts;
import io.weft.pki.TlsImplementation;
import io.weft.pki.TrustVerifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Load generator for bench/apps/fleet/run.sh: grows a fleet of simulated nodes in one running
 * manager and measures, at each size, the time from publishing a new app version until every
 * node has it installed.
 *
 * <p>Each simulated node enrolls with its own EC P-256 key and connects over the control
 * protocol with mutual TLS, as ControlPlaneBench's nodes do. On each desired state it does
 * what the node agent and the app deployer do, with the same library code: it verifies the
 * state's signature and chain with {@link DocumentVerifier}, acknowledges it, reports
 * {@code downloading}, downloads each new bundle in ranges of
 * {@link ArtifactRequest#MAX_CHUNK_BYTES} (the next range only after the previous one
 * arrived), verifies signature, signer chain, revocation and digest with
 * {@link AppSignatureVerifier}, checks the manifest's symbolic name and version, and reports
 * {@code installed} in its status under the {@code deployments} extension. It does not run an
 * OSGi framework, so the install, start and health check of the real node are left out.
 *
 * <p>The CPU-heavy steps (state verification, app verification) run on a pool of
 * {@code verify-threads} threads shared by all nodes, not on the control I/O threads.
 * Arguments are {@code key=value} pairs; run.sh passes all of them. The figures go to the
 * {@code results} file as {@code name<TAB>value} lines.
 */
public class AppFleetBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DOMAIN = "apps-bench.example";
    static final String APP = "org.example.bench.fleet";
    static final String DEPLOYMENT = "fleet";
    static final String WEFT_VERSION = "0.1.0-bench";
    static final String STATUS_KEY = "deployments";
    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(600);
    static final long CLOCK_TICKS_PER_SECOND = 100;

    final Map<String, String> options;
    final String apiBase;
    final String authorization;
    final X509Certificate root;
    final HttpClient http;
    final SecureRandom random = new SecureRandom();
    final long startNanos = System.nanoTime();
    final PrintWriter results;
    final Path downloads;
    final int payloadBytes;
    final long managerPid;

    final List<SimulatedNode> nodes = new ArrayList<>();
    final List<ControlConnector> connectors = new ArrayList<>();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong failedDeployments = new AtomicLong();
    final AtomicLong managerErrors = new AtomicLong();
    final AtomicLong chunksReceived = new AtomicLong();
    final AtomicBoolean stopping = new AtomicBoolean();
    final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor();
    ExecutorService verifiers;
    InetSocketAddress controlAddress;
    long revision;
    int published;

    AppFleetBench(Map<String, String> options) throws IOException {
        this.options = options;
        this.apiBase = require("api");
        this.authorization = "Bearer " + Files.readString(Path.of(require("token-file"))).strip();
        this.root = Pem.readCertificate(Files.readString(Path.of(require("ca"))));
        this.downloads = Files.createDirectories(Path.of(require("downloads")));
        this.payloadBytes = intOption("payload-kib", 512) * 1024;
        this.managerPid = Long.parseLong(require("manager-pid"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(TlsContexts.sslContext(null, TlsContexts.trustManager(root, Set::of, Clock.systemUTC()),
                        random))
                .build();
        this.results = new PrintWriter(Files.newBufferedWriter(Path.of(require("results"))), true);
    }

    /**
     * Bouncy Castle's JSSE logger, held so that its level stays: the provider logs every
     * handshake at INFO through java.util.logging, thousands of lines per second here.
     */
    private static final java.util.logging.Logger BC_JSSE_LOG = quietBouncyCastleJsse();

    private static java.util.logging.Logger quietBouncyCastleJsse() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.bouncycastle.jsse");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                System.err.println("Invalid argument '" + arg + "': expected key=value; run.sh passes the arguments");
                System.exit(2);
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        AppFleetBench bench = new AppFleetBench(options);
        try {
            bench.run();
        } finally {
            bench.stop();
        }
    }

    String require(String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing argument " + key + "=...");
        }
        return value;
    }

    int intOption(String key, int defaultValue) {
        return Integer.parseInt(options.getOrDefault(key, Integer.toString(defaultValue)));
    }

    void run() throws Exception {
        int[] steps = Arrays.stream(require("steps").split(",")).mapToInt(Integer::parseInt).toArray();
        int parallel = intOption("parallel", 8);
        int versions = intOption("versions", 4);
        verifiers = Executors.newFixedThreadPool(intOption("verify-threads", 2));
        for (int i = 0; i < intOption("connectors", 8); i++) {
            connectors.add(new ControlConnector(ControlSettings.defaults(), 1));
        }
        send("POST", "/domains", JSON.createObjectNode().put("name", DOMAIN), 201);

        for (int target : steps) {
            String prefix = "n" + target;
            log("=== growing the fleet to %d nodes", target);
            int first = nodes.size();
            createNodes(first, target, parallel);
            enroll(first, target, parallel);
            connectNew(first, target);
            for (int v = 1; v <= versions; v++) {
                publish(prefix + ".v" + v);
            }
        }
        results.printf("generator.cpu_s\t%.1f%n", generatorCpuSeconds());
        results.printf("generator.failed_deployments\t%d%n", failedDeployments.get());
        results.printf("generator.manager_errors\t%d%n", managerErrors.get());
        results.printf("generator.failed_connection_attempts\t%d%n", failedAttempts.get());
    }

    void stop() {
        stopping.set(true);
        reconnects.shutdownNow();
        if (verifiers != null) {
            verifiers.shutdownNow();
        }
        connectors.forEach(ControlConnector::close);
        results.close();
    }

    // -----------------------------------------------------------------------------------
    // Fleet setup over the REST API
    // -----------------------------------------------------------------------------------

    /** Creates node records FIRST..TARGET-1 and one enrollment token each. */
    void createNodes(int first, int target, int parallel) throws Exception {
        long start = System.nanoTime();
        List<SimulatedNode> created = runAll(parallel, first, target, index -> {
            String name = String.format(Locale.ROOT, "a%05d", index);
            ObjectNode body = JSON.createObjectNode().put("name", name).put("domain", DOMAIN).put("role", "edge");
            send("POST", "/nodes", body, 201);
            String fullName = name + "." + DOMAIN;
            JsonNode issued = JSON.readTree(send("POST", "/nodes/" + encode(fullName) + "/enrollment-tokens",
                    JSON.createObjectNode(), 201).body());
            return new SimulatedNode(index, fullName, issued.get("token").asText());
        });
        nodes.addAll(created);
        log("created %d node records and enrollment tokens in %.1f s", target - first,
                seconds(System.nanoTime() - start));
    }

    /** Generates the keys and CSRs of the new nodes and enrolls them PARALLEL at a time. */
    void enroll(int first, int target, int parallel) throws Exception {
        List<SimulatedNode> batch = nodes.subList(first, target);
        long start = System.nanoTime();
        runAll(parallel, 0, batch.size(), i -> {
            SimulatedNode node = batch.get(i);
            KeyPair keyPair = KeyPairs.generateNodeKeyPair(random);
            String csr = CertificationRequests.create(keyPair, node.fullName, random);
            ObjectNode body = JSON.createObjectNode().put("token", node.token).put("csr", csr);
            node.identify(keyPair, JSON.readTree(send("POST", "/enroll", body, 200).body()));
            return null;
        });
        log("enrolled %d nodes in %.1f s", batch.size(), seconds(System.nanoTime() - start));
    }

    /**
     * Connects the new nodes in chunks of 250, waiting for each chunk's HELLO_ACKs. Then waits
     * until every node has verified and acknowledged a desired state and, once a version was
     * published, installed the latest one.
     */
    void connectNew(int first, int target) throws Exception {
        long start = System.nanoTime();
        for (int from = first; from < target; from += 250) {
            int to = Math.min(target, from + 250);
            for (int i = from; i < to; i++) {
                nodes.get(i).connect();
            }
            await("HELLO_ACK for nodes up to " + to, Duration.ofSeconds(120), () -> connected.get() >= to);
        }
        String version = published == 0 ? null : versionName(published);
        await("a verified desired state on every node", Duration.ofSeconds(300),
                () -> nodes.stream().allMatch(node -> node.appliedRevision > 0
                        && (version == null || version.equals(node.installedVersion))));
        log("connected %d new nodes; all %d verified a state%s after %.1f s", target - first, target,
                version == null ? "" : " and installed " + version, seconds(System.nanoTime() - start));
    }

    // -----------------------------------------------------------------------------------
    // Publishing a version
    // -----------------------------------------------------------------------------------

    /**
     * Uploads the next version, points the deployment at it, and measures until every node
     * reported it installed and the manager's deployment view shows all of them installed.
     */
    void publish(String prefix) throws Exception {
        published++;
        String version = versionName(published);
        byte[] bundle = bundle(version, payloadBytes);
        long chunksBefore = chunksReceived.get();
        long managerTicksBefore = managerCpuTicks();
        double generatorCpuBefore = generatorCpuSeconds();

        long start = System.nanoTime();
        HttpRequest upload = request("/apps").header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build();
        HttpResponse<String> uploaded = http.send(upload, HttpResponse.BodyHandlers.ofString());
        expectStatus("POST /apps", uploaded, 201);
        long uploadNanos = System.nanoTime() - start;
        updateDeployment(version);
        long deploymentNanos = System.nanoTime() - start;

        await("every node installing " + version, PUBLISH_TIMEOUT,
                () -> nodes.stream().allMatch(node -> version.equals(node.installedVersion)));
        long[] installed = sinceStart(nodes.stream().mapToLong(node -> node.installedAtNanos).toArray(), start);
        long[] states = sinceStart(nodes.stream().mapToLong(node -> node.stateAtNanos).toArray(), start);
        long[] downloaded = sinceStart(nodes.stream().mapToLong(node -> node.downloadedAtNanos).toArray(), start);
        long managerViewNanos = awaitManagerView(version, start);
        double managerCpu = (managerCpuTicks() - managerTicksBefore) / (double) CLOCK_TICKS_PER_SECOND;
        double generatorCpu = generatorCpuSeconds() - generatorCpuBefore;

        long chunks = chunksReceived.get() - chunksBefore;
        log("%s: the last node verified the new state after %.2f s (p50 %.2f s) and finished its download after"
                + " %.2f s (p50 %.2f s)", version, seconds(states[states.length - 1]), seconds(percentile(states, 50)),
                seconds(downloaded[downloaded.length - 1]), seconds(percentile(downloaded, 50)));
        results.printf(Locale.ROOT, "%s.last_state_verified_s\t%.2f%n%s.p50_state_verified_s\t%.2f%n"
                + "%s.last_downloaded_s\t%.2f%n%s.p50_downloaded_s\t%.2f%n", prefix, seconds(states[states.length - 1]),
                prefix, seconds(percentile(states, 50)), prefix, seconds(downloaded[downloaded.length - 1]), prefix,
                seconds(percentile(downloaded, 50)));
        log("%s: CPU until the manager's view showed all installed: manager %.1f s, generator %.1f s", version,
                managerCpu, generatorCpu);
        results.printf(Locale.ROOT, "%s.manager_cpu_s\t%.1f%n%s.generator_cpu_s\t%.1f%n", prefix, managerCpu, prefix,
                generatorCpu);
        log("%s: %d nodes; upload %.0f ms, deployment updated after %.0f ms; installed on the first node after %.2f s,"
                + " p50 %.2f s, p99 %.2f s, last %.2f s; the manager's view showed all installed after %.2f s;"
                + " %d chunks", version, installed.length, uploadNanos / 1e6, deploymentNanos / 1e6,
                seconds(installed[0]), seconds(percentile(installed, 50)), seconds(percentile(installed, 99)),
                seconds(installed[installed.length - 1]), seconds(managerViewNanos), chunks);
        results.printf(Locale.ROOT, "%s.nodes\t%d%n%s.upload_ms\t%.0f%n%s.deployment_updated_ms\t%.0f%n"
                + "%s.first_installed_s\t%.2f%n%s.p50_installed_s\t%.2f%n%s.p99_installed_s\t%.2f%n"
                + "%s.last_installed_s\t%.2f%n%s.manager_view_all_installed_s\t%.2f%n%s.chunks\t%d%n",
                prefix, installed.length, prefix, uploadNanos / 1e6, prefix, deploymentNanos / 1e6,
                prefix, seconds(installed[0]), prefix, seconds(percentile(installed, 50)),
                prefix, seconds(percentile(installed, 99)), prefix, seconds(installed[installed.length - 1]),
                prefix, seconds(managerViewNanos), prefix, chunks);
    }

    /** Returns each time minus START, sorted. */
    static long[] sinceStart(long[] nanos, long start) {
        long[] elapsed = new long[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            elapsed[i] = nanos[i] - start;
        }
        Arrays.sort(elapsed);
        return elapsed;
    }

    static String versionName(int number) {
        return "1.0." + number;
    }

    /** Creates the deployment for the first version and updates it with If-Match for later ones. */
    void updateDeployment(String version) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("id", DEPLOYMENT).put("app", APP).put("version", version);
        body.putObject("target").put("domain", DOMAIN);
        HttpResponse<String> response;
        if (revision == 0) {
            response = send("POST", "/deployments", body, 201);
        } else {
            HttpRequest put = request("/deployments/" + DEPLOYMENT)
                    .header("Content-Type", "application/json")
                    .header("If-Match", "\"" + revision + "\"")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            response = http.send(put, HttpResponse.BodyHandlers.ofString());
            expectStatus("PUT /deployments/" + DEPLOYMENT, response, 200);
        }
        revision = JSON.readTree(response.body()).path("revision").asLong();
    }

    /**
     * Polls GET /deployments/{id} every 20 ms until it lists every node with VERSION installed,
     * as bench/apps/run.sh does with real nodes, and returns the nanoseconds since START.
     */
    long awaitManagerView(String version, long start) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int installed = 0;
        while (System.nanoTime() < deadline) {
            JsonNode view = JSON.readTree(send("GET", "/deployments/" + DEPLOYMENT, null, 200).body());
            installed = 0;
            for (JsonNode node : view.path("nodes")) {
                if (node.path("state").asText().equals("installed")
                        && node.path("reportedVersion").asText().equals(version)) {
                    installed++;
                }
            }
            if (installed == nodes.size()) {
                return System.nanoTime() - start;
            }
            Thread.sleep(20);
        }
        throw new IOException("GET /deployments/" + DEPLOYMENT + " showed " + installed + " of " + nodes.size()
                + " nodes with " + version + " installed after 120 s, although every simulated node reported it");
    }

    /** Builds a bundle jar of APP at VERSION with PAYLOAD random bytes, so a node downloads it in ranges. */
    static byte[] bundle(String version, int payload) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", APP);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            byte[] data = new byte[payload];
            new Random(version.hashCode()).nextBytes(data);
            jar.putNextEntry(new ZipEntry("payload.bin"));
            jar.write(data);
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // -----------------------------------------------------------------------------------
    // Simulated node
    // -----------------------------------------------------------------------------------

    /**
     * One node: its identity, its control session, the revision it applied and the app it
     * installed. The I/O thread of its connector delivers messages in order. State and app
     * verification run on the shared verifier pool, so the download fields are guarded by the
     * node's lock.
     */
    final class SimulatedNode implements ControlListener {

        final int index;
        final String fullName;
        final String token;
        final ExponentialBackoff backoff = new ExponentialBackoff(BACKOFF_BASE, BACKOFF_CAP,
                new SplittableRandom(random.nextLong()));
        final AtomicBoolean reconnectScheduled = new AtomicBoolean();
        String nodeId;
        SSLContext tls;

        volatile ControlSession session;
        volatile long appliedRevision;
        volatile Set<BigInteger> revokedSerials = Set.of();
        volatile String installedSha256;
        volatile String installedVersion;
        volatile long installedAtNanos;
        /** When the node verified the first state that names the bundle it then downloaded, and when the download ended. */
        volatile long stateAtNanos;
        volatile long downloadedAtNanos;
        /** The deployment being downloaded, its file and the bytes written so far; guarded by this node's lock. */
        AppDeployment downloading;
        FileChannel download;
        long received;
        /** Digest of the bundle whose file the verifier pool reads, which no new download may truncate. */
        String verifying;

        SimulatedNode(int index, String fullName, String token) {
            this.index = index;
            this.fullName = fullName;
            this.token = token;
        }

        /** Reads the enrollment response and builds the node's TLS context. */
        void identify(KeyPair keyPair, JsonNode enrolled) {
            nodeId = enrolled.get("nodeId").asText();
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode pem : enrolled.get("certificateChain")) {
                chain.addAll(Pem.readCertificates(pem.asText()));
            }
            if (!chain.get(chain.size() - 1).equals(root)) {
                throw new IllegalStateException("The chain of node " + fullName + " does not end in the root CA");
            }
            synchronized (AppFleetBench.this) {
                if (controlAddress == null) {
                    String address = enrolled.get("controlAddress").asText();
                    int colon = address.lastIndexOf(':');
                    controlAddress = new InetSocketAddress(address.substring(0, colon),
                            Integer.parseInt(address.substring(colon + 1)));
                }
            }
            // Bouncy Castle's JSSE, as the node agent's control connection uses.
            tls = TlsContexts.mutualTlsContext(keyPair.getPrivate(), chain, root, () -> revokedSerials,
                    Clock.systemUTC(), random, TlsImplementation.BOUNCY_CASTLE);
        }

        void connect() {
            reconnectScheduled.set(false);
            if (stopping.get()) {
                return;
            }
            connectors.get(index % connectors.size()).connect(controlAddress, tls, this)
                    .whenComplete((opened, failure) -> {
                        if (failure != null) {
                            failedAttempts.incrementAndGet();
                            scheduleReconnect();
                        }
                    });
        }

        void scheduleReconnect() {
            if (stopping.get() || !reconnectScheduled.compareAndSet(false, true)) {
                return;
            }
            reconnects.schedule(this::connect, backoff.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void sessionOpened(ControlSession opened) {
            opened.send(new Hello(ControlProtocol.SUPPORTED_VERSIONS, WEFT_VERSION, appliedRevision, uptimeMillis()));
        }

        @Override
        public void messageReceived(ControlSession from, ControlMessage message) {
            if (message instanceof DesiredState state) {
                byte[] envelope = state.envelope();
                verifiers.execute(() -> apply(from, state.revision(), envelope));
            } else if (message instanceof ArtifactChunk chunk) {
                receive(from, chunk);
            } else if (message instanceof HelloAck ack) {
                if (ack.accepted()) {
                    session = from;
                    connected.incrementAndGet();
                } else {
                    log("node %s: the manager rejected the HELLO: %s", fullName, ack.reason());
                }
            } else if (message instanceof ErrorMessage error) {
                if (managerErrors.incrementAndGet() <= 10) {
                    log("node %s: the manager reported %s: %s", fullName, error.code(), error.message());
                }
            }
        }

        @Override
        public void sessionClosed(ControlSession closed) {
            if (closed == session) {
                session = null;
                connected.decrementAndGet();
            } else {
                failedAttempts.incrementAndGet();
            }
            scheduleReconnect();
        }

        /**
         * Verifies a desired state as the node agent does, acknowledges it, and starts the
         * download of its app when the state names a bundle that the node does not have.
         */
        void apply(ControlSession from, long stateRevision, byte[] envelope) {
            DesiredStateDocument document;
            try {
                TrustVerifier trust = new TrustVerifier(root, () -> revokedSerials, Clock.systemUTC());
                byte[] payload = new DocumentVerifier(trust, KeyPurpose.STATE_SIGNING).verify(envelope).payload();
                document = DesiredStateDocument.parse(payload);
            } catch (RuntimeException e) {
                from.send(StateAck.rejected(stateRevision, e.getMessage()));
                log("node %s: rejected the desired state at revision %d: %s", fullName, stateRevision, e.getMessage());
                return;
            }
            if (!document.nodeId().equals(nodeId)) {
                from.send(StateAck.rejected(stateRevision, "the state is for node " + document.nodeId()));
                return;
            }
            revokedSerials = document.revokedSerials().stream().map(serial -> new BigInteger(serial, 16))
                    .collect(Collectors.toUnmodifiableSet());
            appliedRevision = document.revision();
            from.send(StateAck.applied(document.revision()));
            document.deployments().stream().filter(deployment -> deployment.app().equals(APP)).findFirst()
                    .filter(deployment -> !deployment.sha256().equals(installedSha256))
                    .ifPresent(deployment -> startDownload(from, deployment));
        }

        /** Begins the download of a bundle unless the same bundle is being downloaded or verified. */
        synchronized void startDownload(ControlSession from, AppDeployment deployment) {
            if (deployment.sha256().equals(verifying)
                    || (downloading != null && downloading.sha256().equals(deployment.sha256()))) {
                return;
            }
            closeQuietly(download);
            try {
                download = FileChannel.open(file(deployment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                fail(from, deployment, "opening the download file failed: " + e.getMessage());
                return;
            }
            downloading = deployment;
            received = 0;
            stateAtNanos = System.nanoTime();
            report(from, deployment, "downloading", null, installedVersion);
            requestNext(from);
        }

        void requestNext(ControlSession from) {
            int length = (int) Math.min(ArtifactRequest.MAX_CHUNK_BYTES, downloading.size() - received);
            from.send(new ArtifactRequest(downloading.sha256(), received, length));
        }

        /** Returns the file that a bundle downloads into, in the downloads folder, one per node and digest. */
        Path file(AppDeployment deployment) {
            return downloads.resolve(index + "-" + deployment.sha256() + ".jar");
        }

        synchronized void receive(ControlSession from, ArtifactChunk chunk) {
            chunksReceived.incrementAndGet();
            if (downloading == null || !downloading.sha256().equals(chunk.sha256()) || chunk.offset() != received) {
                log("node %s: dropped an unexpected chunk %s", fullName, chunk);
                return;
            }
            AppDeployment current = downloading;
            try {
                ByteBuffer data = ByteBuffer.wrap(chunk.data());
                while (data.hasRemaining()) {
                    received += download.write(data);
                }
                if (received < current.size()) {
                    requestNext(from);
                    return;
                }
                download.close();
            } catch (IOException e) {
                downloading = null;
                closeQuietly(download);
                fail(from, current, "writing the download file failed: " + e.getMessage());
                return;
            }
            downloadedAtNanos = System.nanoTime();
            downloading = null;
            download = null;
            verifying = current.sha256();
            verifiers.execute(() -> install(from, current));
        }

        void fail(ControlSession from, AppDeployment deployment, String reason) {
            failedDeployments.incrementAndGet();
            log("node %s: app %s %s failed: %s", fullName, deployment.app(), deployment.version(), reason);
            report(from, deployment, "failed", reason, installedVersion);
        }

        /** Verifies a downloaded bundle as the app deployer does and reports the result. */
        void install(ControlSession from, AppDeployment deployment) {
            Path file = file(deployment);
            try {
                TrustVerifier trust = new TrustVerifier(root, () -> revokedSerials, Clock.systemUTC());
                new AppSignatureVerifier(trust).verify(file, deployment.signatureBytes(), deployment.sha256());
                requireIdentity(deployment, file);
                installedAtNanos = System.nanoTime();
                installedVersion = deployment.version();
                installedSha256 = deployment.sha256();
            } catch (IOException | PkiException e) {
                fail(from, deployment, "verification failed: " + e.getMessage());
                return;
            } finally {
                deleteQuietly(file);
                synchronized (this) {
                    verifying = null;
                }
            }
            report(from, deployment, "installed", null, deployment.version());
        }

        /** Sends the node's status with the app report in the shape of the node's AppReports. */
        void report(ControlSession from, AppDeployment deployment, String state, String error, String running) {
            ObjectNode report = JSON.createObjectNode();
            ObjectNode entry = report.putObject(deployment.app());
            entry.put("deploymentId", deployment.deploymentId());
            entry.put("version", deployment.version());
            entry.put("state", state);
            entry.put("error", error);
            entry.put("runningVersion", running);
            entry.put("updatedAt", Instant.now().toString());
            from.send(new Status(WEFT_VERSION, uptimeMillis(), appliedRevision, Map.of(STATUS_KEY, report.toString())));
        }
    }

    /** Checks that the bundle's manifest names the app and version of the deployment, as the app deployer does. */
    static void requireIdentity(AppDeployment deployment, Path file) throws IOException {
        try (JarFile jar = new JarFile(file.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            String name = main.getValue("Bundle-SymbolicName");
            String version = main.getValue("Bundle-Version");
            if (!deployment.app().equals(name) || !deployment.version().equals(version)) {
                throw new IOException("the bundle is " + name + " " + version + ", but the deployment names "
                        + deployment.app() + " " + deployment.version());
            }
        }
    }

    long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    // -----------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(apiBase + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    HttpResponse<String> send(String method, String path, JsonNode body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        expectStatus(method + " " + path, response, expectedStatus);
        return response;
    }

    static void expectStatus(String call, HttpResponse<String> response, int expected) throws IOException {
        if (response.statusCode() != expected) {
            throw new IOException(call + " returned HTTP " + response.statusCode() + ", expected " + expected + ": "
                    + response.body());
        }
    }

    interface IndexTask<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} for FROM..TO-1 on PARALLEL threads and returns the results in order. */
    static <T> List<T> runAll(int parallel, int from, int to, IndexTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<T>> futures = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.run(index)));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls {@code condition} every 20 ms, logging progress every 10 s, and fails after {@code timeout}. */
    void await(String description, Duration timeout, BooleanSupplier condition) throws Exception {
        long start = System.nanoTime();
        long nextLog = start + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - start > timeout.toNanos()) {
                throw new IOException("Timed out after " + timeout.toSeconds() + " s waiting for " + description + " ("
                        + connected.get() + " of " + nodes.size() + " nodes connected, " + failedDeployments.get()
                        + " failed deployments, " + managerErrors.get() + " manager errors)");
            }
            if (now > nextLog) {
                log("waiting for %s: %d of %d nodes connected", description, connected.get(), nodes.size());
                nextLog = now + Duration.ofSeconds(10).toNanos();
            }
            Thread.sleep(20);
        }
    }

    static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Returns the manager's user and system CPU time in clock ticks, from /proc/PID/stat. */
    long managerCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(managerPid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces:
            // utime is field 14 and stime field 15 of the whole line.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading /proc/" + managerPid + "/stat failed", e);
        }
    }

    static double generatorCpuSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }

    static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log("closing a download file failed: %s", e.getMessage());
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log("deleting %s failed: %s", file, e.getMessage());
        }
    }

    static void log(String format, Object... args) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(Locale.ROOT, format,
                args));
    }
}
