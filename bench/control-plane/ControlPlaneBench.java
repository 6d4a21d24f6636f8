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
import io.weft.control.state.DesiredStateDocument;
import io.weft.fleet.ProfileValue;
import io.weft.pki.CertificationRequests;
import io.weft.pki.DocumentVerifier;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyPurpose;
import io.weft.pki.Pem;
import io.weft.pki.TlsContexts;
import io.weft.pki.TlsImplementation;
import io.weft.pki.TrustVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Load generator for bench/control-plane/run.sh: enrolls simulated nodes in one running
 * manager, connects them over the control protocol and measures the manager at each fleet
 * size. Each node has its own EC P-256 key and certificate and its own TLS context. The nodes
 * share a few {@link ControlConnector}s, 8 with one I/O thread each by default, so the process
 * needs a few I/O threads, not a few per node.
 *
 * <p>A simulated node behaves as the node agent's control connection does: it sends a HELLO
 * with its applied revision after the handshake, acknowledges every desired state as applied,
 * and reconnects with exponential backoff (1 s base, 30 s cap, full jitter), starting again
 * from the base after a session that lived longer than 30 s. It does not verify signatures,
 * except that the state of one node is verified with {@link DocumentVerifier} after each
 * root-domain change.
 *
 * <p>Arguments are {@code key=value} pairs; run.sh passes all of them. The figures go to the
 * {@code results} file as {@code name<TAB>value} lines.
 */
public class ControlPlaneBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT_DOMAIN = "cp-bench.example";
    static final int REGIONS = 10;
    static final String BENCH_PID = "io.weft.bench";
    static final String WEFT_VERSION = "0.1.0-bench";
    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
    static final Duration STABLE_SESSION = Duration.ofSeconds(30);
    static final long CLOCK_TICKS_PER_SECOND = 100;

    final Map<String, String> options;
    final String apiBase;
    final String authorization;
    final X509Certificate root;
    final Path managerHome;
    final String managerOpts;
    final HttpClient http;
    final SecureRandom random = new SecureRandom();
    final long startNanos = System.nanoTime();
    final PrintWriter results;

    final List<SimulatedNode> nodes = new ArrayList<>();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicLong failedAttempts = new AtomicLong();
    /** Failed attempts whose TCP connection the manager's host refused, a subset of {@link #failedAttempts}. */
    final AtomicLong refusedConnections = new AtomicLong();
    final AtomicLong managerErrors = new AtomicLong();
    final AtomicBoolean stopping = new AtomicBoolean();
    final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor();
    /**
     * Connectors of the simulated nodes, node i on connector i mod their number. MINA's TLS
     * filter builds a client's ClientHello, with its key shares, on the I/O thread while it holds
     * the filter's lock. With one connector for all nodes, a reconnecting fleet queued behind
     * that lock and stalled the I/O of the handshakes already in progress.
     */
    final List<ControlConnector> connectors = new ArrayList<>();
    InetSocketAddress controlAddress;
    long managerPid;
    String rootProfileEtag;
    int rootChanges;

    ControlPlaneBench(Map<String, String> options) throws IOException {
        this.options = options;
        this.apiBase = require("api");
        this.authorization = "Bearer " + Files.readString(Path.of(require("token-file"))).strip();
        this.root = Pem.readCertificate(Files.readString(Path.of(require("ca"))));
        this.managerHome = Path.of(require("home"));
        this.managerOpts = options.getOrDefault("manager-opts", "");
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
        ControlPlaneBench bench = new ControlPlaneBench(options);
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
        int connectorCount = intOption("connectors", 8);
        int ioThreads = intOption("io-threads", 1);
        int changes = intOption("changes", 3);
        boolean restart = Boolean.parseBoolean(options.getOrDefault("restart", "true"));

        for (int i = 0; i < connectorCount; i++) {
            connectors.add(new ControlConnector(ControlSettings.defaults(), ioThreads));
        }
        createDomains();
        recordManager("n0");

        Path jfrDirectory = options.containsKey("jfr-dir") ? Path.of(options.get("jfr-dir")) : null;
        for (int target : steps) {
            String prefix = "n" + target;
            log("=== growing the fleet to %d nodes", target);
            int first = nodes.size();
            // Only the first step is profiled, so that the larger steps run without JFR.
            boolean profile = jfrDirectory != null && target == steps[0];
            createNodes(prefix, first, target, parallel);
            startRecording(profile, "enroll");
            enroll(prefix, first, target, parallel);
            stopRecording(profile, "enroll", jfrDirectory);
            startRecording(profile, "connect");
            connectNew(prefix, first, target);
            stopRecording(profile, "connect", jfrDirectory);
            measureIdle(prefix);
            recordManager(prefix);
            for (int change = 1; change <= changes; change++) {
                changeRootProfile(prefix + ".change" + change);
            }
            if (restart) {
                restartManager(prefix, profile ? jfrDirectory : null);
            }
        }
        results.printf("generator.cpu_s\t%.1f%n", generatorCpuSeconds());
        results.printf("generator.heap_used_mb\t%.0f%n", generatorHeapMb());
        results.printf("generator.threads\t%d%n", Thread.activeCount());
    }

    void stop() {
        stopping.set(true);
        reconnects.shutdownNow();
        connectors.forEach(ControlConnector::close);
        results.close();
    }

    // -----------------------------------------------------------------------------------
    // Fleet setup over the REST API
    // -----------------------------------------------------------------------------------

    static String region(int r) {
        return String.format(Locale.ROOT, "r%02d.%s", r, ROOT_DOMAIN);
    }

    void createDomains() throws Exception {
        send("POST", "/domains", JSON.createObjectNode().put("name", ROOT_DOMAIN), 201);
        for (int r = 1; r <= REGIONS; r++) {
            send("POST", "/domains", JSON.createObjectNode().put("name", region(r)), 201);
        }
        HttpResponse<String> created = send("PUT", "/domains/" + ROOT_DOMAIN + "/profile", rootProfile(0), 201);
        rootProfileEtag = created.headers().firstValue("ETag")
                .orElseThrow(() -> new IOException("PUT of the root profile returned no ETag"));
        log("created the root domain %s, %d regions and the root profile", ROOT_DOMAIN, REGIONS);
    }

    /** Returns a root profile whose {@value #BENCH_PID} PID carries {@code change}, plus some typical keys. */
    static ObjectNode rootProfile(long change) {
        ObjectNode document = JSON.createObjectNode();
        ObjectNode pids = document.putObject("pids");
        ObjectNode bench = pids.putObject(BENCH_PID);
        bench.putObject("change").put("type", "long").put("value", change);
        ObjectNode agent = pids.putObject("io.weft.agent");
        agent.putObject("log.level").put("type", "string").put("value", "INFO");
        agent.putObject("heartbeat.seconds").put("type", "long").put("value", 30);
        ObjectNode tunnel = pids.putObject("io.weft.tunnel");
        tunnel.putObject("mtu").put("type", "long").put("value", 1400);
        tunnel.putObject("relay.hosts").put("type", "string[]").putArray("value")
                .add("relay-a." + ROOT_DOMAIN).add("relay-b." + ROOT_DOMAIN);
        return document;
    }

    /** Creates node records FIRST..TARGET-1 and one enrollment token each, without timing the tokens. */
    void createNodes(String prefix, int first, int target, int parallel) throws Exception {
        long start = System.nanoTime();
        List<SimulatedNode> created = runAll(parallel, first, target, index -> {
            String name = String.format(Locale.ROOT, "n%05d", index);
            String domain = region(index % REGIONS + 1);
            ObjectNode body = JSON.createObjectNode().put("name", name).put("domain", domain).put("role", "edge");
            body.putArray("tags").add("cp-bench");
            send("POST", "/nodes", body, 201);
            String fullName = name + "." + domain;
            JsonNode issued = JSON.readTree(send("POST", "/nodes/" + encode(fullName) + "/enrollment-tokens",
                    JSON.createObjectNode(), 201).body());
            return new SimulatedNode(index, fullName, issued.get("token").asText());
        });
        nodes.addAll(created);
        double seconds = seconds(System.nanoTime() - start);
        log("created %d node records and enrollment tokens in %.1f s", target - first, seconds);
        results.printf("%s.create_nodes_and_tokens_s\t%.1f%n", prefix, seconds);
    }

    /**
     * Generates the keys and CSRs of the new nodes, then enrolls them PARALLEL at a time.
     * Only the enroll calls are timed.
     */
    void enroll(String prefix, int first, int target, int parallel) throws Exception {
        List<SimulatedNode> batch = nodes.subList(first, target);
        runAll(parallel, 0, batch.size(), i -> {
            SimulatedNode node = batch.get(i);
            node.keyPair = KeyPairs.generateNodeKeyPair(random);
            node.csr = CertificationRequests.create(node.keyPair, node.fullName, random);
            return null;
        });

        long cpuBefore = managerCpuTicks();
        long start = System.nanoTime();
        runAll(parallel, 0, batch.size(), i -> {
            SimulatedNode node = batch.get(i);
            ObjectNode body = JSON.createObjectNode().put("token", node.token).put("csr", node.csr);
            node.enrollment = send("POST", "/enroll", body, 200).body();
            return null;
        });
        long nanos = System.nanoTime() - start;
        double cpu = (managerCpuTicks() - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
        double rate = batch.size() / seconds(nanos);
        log("enrolled %d nodes in %.1f s: %.0f enrollments/s with %d parallel requests, manager CPU %.1f s"
                + " (%.1f ms per enrollment)", batch.size(), seconds(nanos), rate, parallel, cpu,
                cpu * 1000 / batch.size());
        results.printf("%s.enroll.count\t%d%n%s.enroll.rate_per_s\t%.0f%n%s.enroll.manager_cpu_ms_each\t%.2f%n",
                prefix, batch.size(), prefix, rate, prefix, cpu * 1000 / batch.size());

        runAll(parallel, 0, batch.size(), i -> {
            batch.get(i).identify(JSON.readTree(batch.get(i).enrollment));
            return null;
        });
    }

    // -----------------------------------------------------------------------------------
    // Control connections
    // -----------------------------------------------------------------------------------

    /**
     * Connects the new nodes in chunks, waiting for each chunk's HELLO_ACKs before the next, so
     * that the first connection of a node does not run into the HELLO timeout behind thousands
     * of queued handshakes. Then waits until every node has acknowledged a desired state.
     */
    void connectNew(String prefix, int first, int target) throws Exception {
        int chunk = intOption("connect-chunk", 250);
        long cpuBefore = managerCpuTicks();
        long start = System.nanoTime();
        for (int from = first; from < target; from += chunk) {
            int to = Math.min(target, from + chunk);
            for (int i = from; i < to; i++) {
                nodes.get(i).connect();
            }
            int expected = to;
            await("HELLO_ACK for nodes up to " + to, Duration.ofSeconds(120), () -> connected.get() >= expected);
        }
        long connectNanos = System.nanoTime() - start;
        await("a first desired state acknowledged by every node", Duration.ofSeconds(120),
                () -> nodes.stream().allMatch(node -> node.ackedRevision > 0));
        long stateNanos = System.nanoTime() - start;
        double cpu = (managerCpuTicks() - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
        int count = target - first;
        log("connected %d new nodes in %.1f s (%.0f/s), all %d acknowledged a state after %.1f s;"
                + " manager CPU %.1f s (%.1f ms per new node)", count, seconds(connectNanos),
                count / seconds(connectNanos), target, seconds(stateNanos), cpu, cpu * 1000 / count);
        results.printf("%s.connect.new_nodes\t%d%n%s.connect.s\t%.1f%n%s.connect.all_acked_s\t%.1f%n"
                + "%s.connect.manager_cpu_ms_each\t%.2f%n", prefix, count, prefix, seconds(connectNanos), prefix,
                seconds(stateNanos), prefix, cpu * 1000 / count);
    }

    /** Measures the manager's CPU while all nodes stay connected and only heartbeats flow. */
    void measureIdle(String prefix) throws InterruptedException {
        int seconds = intOption("idle-seconds", 30);
        Thread.sleep(2_000);
        long before = managerCpuTicks();
        Thread.sleep(seconds * 1000L);
        double cpu = (managerCpuTicks() - before) / (double) CLOCK_TICKS_PER_SECOND;
        log("idle with %d connected nodes: manager CPU %.2f s in %d s (%.1f %% of one core)", connected.get(), cpu,
                seconds, cpu * 100 / seconds);
        results.printf("%s.idle.connected\t%d%n%s.idle.manager_cpu_percent\t%.1f%n", prefix, connected.get(), prefix,
                cpu * 100 / seconds);
    }

    // -----------------------------------------------------------------------------------
    // Root-domain change
    // -----------------------------------------------------------------------------------

    /**
     * Changes the root profile and measures the time from sending the PUT until every node
     * acknowledged a revision above the one it held, then until the manager's node listing
     * shows every node's acknowledged revision as applied.
     */
    void changeRootProfile(String prefix) throws Exception {
        long[] before = new long[nodes.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = nodes.get(i).ackedRevision;
        }
        rootChanges++;
        long cpuBefore = managerCpuTicks();
        long start = System.nanoTime();
        HttpRequest.Builder request = request("/domains/" + ROOT_DOMAIN + "/profile")
                .header("If-Match", rootProfileEtag)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(rootProfile(rootChanges))));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long putNanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IOException("PUT of the root profile returned HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        rootProfileEtag = response.headers().firstValue("ETag")
                .orElseThrow(() -> new IOException("PUT of the root profile returned no ETag"));

        await("every node acknowledging the root change", Duration.ofSeconds(300), () -> {
            for (int i = 0; i < before.length; i++) {
                if (nodes.get(i).ackedRevision <= before[i]) {
                    return false;
                }
            }
            return true;
        });
        long[] latencies = new long[nodes.size()];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = nodes.get(i).ackedAtNanos - start;
        }
        Arrays.sort(latencies);
        double cpu = (managerCpuTicks() - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
        log("root change %d: PUT %.0f ms; acknowledged by all %d nodes after %.2f s (first %.2f s, p50 %.2f s,"
                + " p99 %.2f s); manager CPU %.1f s", rootChanges, putNanos / 1e6, latencies.length,
                seconds(latencies[latencies.length - 1]), seconds(latencies[0]), seconds(percentile(latencies, 50)),
                seconds(percentile(latencies, 99)), cpu);
        results.printf("%s.put_ms\t%.0f%n%s.first_ack_s\t%.2f%n%s.p50_ack_s\t%.2f%n%s.p99_ack_s\t%.2f%n"
                + "%s.last_ack_s\t%.2f%n%s.manager_cpu_s\t%.1f%n", prefix, putNanos / 1e6, prefix,
                seconds(latencies[0]), prefix, seconds(percentile(latencies, 50)), prefix,
                seconds(percentile(latencies, 99)), prefix, seconds(latencies[latencies.length - 1]), prefix, cpu);

        verifyState(nodes.get(0), rootChanges);
        double listed = awaitListingApplied(start);
        results.printf("%s.listing_applied_s\t%.1f%n", prefix, listed);
    }

    /** Verifies the last state of {@code node} as a real node does, and checks that it carries {@code change}. */
    void verifyState(SimulatedNode node, long change) {
        byte[] envelope = node.lastEnvelope;
        TrustVerifier trust = new TrustVerifier(root, Set::of, Clock.systemUTC());
        byte[] payload = new DocumentVerifier(trust, KeyPurpose.STATE_SIGNING).verify(envelope).payload();
        DesiredStateDocument document = DesiredStateDocument.parse(payload);
        if (!document.nodeId().equals(node.nodeId) || document.revision() != node.ackedRevision) {
            throw new IllegalStateException("The state of node " + node.fullName + " is for node '" + document.nodeId()
                    + "' at revision " + document.revision() + ", expected '" + node.nodeId + "' at revision "
                    + node.ackedRevision);
        }
        ProfileValue value = Optional.ofNullable(document.configurations().get(BENCH_PID))
                .map(keys -> keys.get("change")).orElse(null);
        if (!ProfileValue.ofLong(change).equals(value)) {
            throw new IllegalStateException("The verified state of node " + node.fullName + " has " + BENCH_PID
                    + " change = " + value + ", expected " + change);
        }
        log("verified the signed state of node %s: revision %d, %s change = %d, %d PIDs", node.fullName,
                document.revision(), BENCH_PID, change, document.configurations().size());
    }

    /**
     * Lists all nodes until each shows the revision that the generator acknowledged last as
     * its applied revision, and returns the seconds since {@code startNanos}. The manager
     * writes acknowledgements in batches, so this lags the acknowledgements themselves.
     */
    double awaitListingApplied(long startNanos) throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (SimulatedNode node : nodes) {
            expected.put(node.fullName, node.ackedRevision);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            int applied = 0;
            String cursor = null;
            do {
                String path = "/nodes?limit=1000" + (cursor == null ? "" : "&cursor=" + encode(cursor));
                JsonNode page = JSON.readTree(send("GET", path, null, 200).body());
                for (JsonNode item : page.get("items")) {
                    Long revision = expected.get(item.get("fullName").asText());
                    if (revision != null && item.get("appliedRevision").asLong() == revision) {
                        applied++;
                    }
                }
                JsonNode next = page.get("nextCursor");
                cursor = next == null || next.isNull() ? null : next.asText();
            } while (cursor != null);
            if (applied == expected.size()) {
                double seconds = seconds(System.nanoTime() - startNanos);
                log("the node listing shows all %d revisions applied %.1f s after the change", applied, seconds);
                return seconds;
            }
            Thread.sleep(250);
        }
        throw new IOException("The node listing did not show every acknowledged revision as applied within 120 s");
    }

    // -----------------------------------------------------------------------------------
    // Manager restart
    // -----------------------------------------------------------------------------------

    /**
     * Stops the manager with bin/stop, starts it with bin/start and measures the time until
     * every node has a HELLO_ACK again.
     */
    void restartManager(String prefix, Path jfrDirectory) throws Exception {
        int count = nodes.size();
        long failuresBefore = failedAttempts.get();
        long refusedBefore = refusedConnections.get();
        long stopStart = System.nanoTime();
        runKarafScript("stop");
        ProcessHandle old = ProcessHandle.of(managerPid).orElse(null);
        if (old != null) {
            old.onExit().get(120, TimeUnit.SECONDS);
        }
        await("every session closed", Duration.ofSeconds(60), () -> connected.get() == 0);
        double stopSeconds = seconds(System.nanoTime() - stopStart);
        log("stopped the manager in %.1f s", stopSeconds);

        // Only a HELLO_ACK of the new process counts: a node that reconnected while the old
        // one was stopping lost that session again when it exited.
        for (SimulatedNode node : nodes) {
            node.helloAckAfterRestart = false;
        }
        long start = System.nanoTime();
        double generatorCpuBefore = generatorCpuSeconds();
        runKarafScript("start", jfrDirectory == null ? "" : " -XX:StartFlightRecording:name=restart,settings=profile");
        managerPid = awaitManagerPid();
        AtomicLong firstAck = new AtomicLong();
        await("every node connected again", Duration.ofSeconds(600), () -> {
            long first = nodes.stream().filter(node -> node.helloAckAfterRestart).mapToLong(node -> node.helloAckNanos)
                    .min().orElse(0);
            firstAck.set(first);
            return nodes.stream().allMatch(node -> node.helloAckAfterRestart);
        });
        long last = nodes.stream().mapToLong(node -> node.helloAckNanos).max().orElseThrow();
        double fromStart = seconds(last - start);
        double fromFirst = seconds(last - firstAck.get());
        double cpu = managerCpuTicks() / (double) CLOCK_TICKS_PER_SECOND;
        double generatorCpu = generatorCpuSeconds() - generatorCpuBefore;
        long failures = failedAttempts.get() - failuresBefore;
        long refused = refusedConnections.get() - refusedBefore;
        if (jfrDirectory != null) {
            Path file = jfrDirectory.resolve("restart.jfr").toAbsolutePath();
            jcmd("JFR.stop", "name=restart", "filename=" + file);
            log("wrote the manager's JFR recording from bin/start until every node was back to %s", file);
        }
        log("restart: all %d nodes connected again %.1f s after bin/start, %.1f s after the first HELLO_ACK"
                + " (%.1f s after bin/start); %d failed attempts, %d of them refused by the host; manager CPU since"
                + " start %.1f s, generator CPU %.1f s", count, fromStart, fromFirst, seconds(firstAck.get() - start),
                failures, refused, cpu, generatorCpu);
        results.printf("%s.restart.stop_s\t%.1f%n%s.restart.all_back_after_start_s\t%.1f%n"
                + "%s.restart.first_hello_ack_after_start_s\t%.1f%n%s.restart.all_back_after_first_ack_s\t%.1f%n"
                + "%s.restart.failed_attempts\t%d%n%s.restart.refused_connections\t%d%n"
                + "%s.restart.manager_cpu_since_start_s\t%.1f%n%s.restart.generator_cpu_s\t%.1f%n", prefix,
                stopSeconds, prefix, fromStart, prefix, seconds(firstAck.get() - start), prefix, fromFirst, prefix,
                failures, prefix, refused, prefix, cpu, prefix, generatorCpu);
        await("a desired state acknowledged by every node after the restart", Duration.ofSeconds(120),
                () -> nodes.stream().allMatch(node -> node.ackedAfterRestart));
    }

    /** Runs a bin/ script of the manager with only EXTRA_JAVA_OPTS set, as run.sh does. */
    void runKarafScript(String script) throws Exception {
        runKarafScript(script, "");
    }

    /** Runs a bin/ script as {@link #runKarafScript(String)} does, with {@code extraOptions} after the manager's options. */
    void runKarafScript(String script, String extraOptions) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(managerHome.resolve("bin").resolve(script).toString())
                .directory(managerHome.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> environment = builder.environment();
        for (String name : List.of("JAVA_OPTS", "EXTRA_JAVA_OPTS", "KARAF_OPTS", "KARAF_SYSTEM_OPTS",
                "JAVA_MIN_MEM", "JAVA_MAX_MEM", "JAVA_PERM_MEM", "JAVA_MAX_PERM_MEM", "KARAF_DEBUG", "KARAF_REDIRECT")) {
            environment.remove(name);
        }
        String javaOptions = (managerOpts + extraOptions).strip();
        if (!javaOptions.isEmpty()) {
            environment.put("EXTRA_JAVA_OPTS", javaOptions);
        }
        int status = builder.start().waitFor();
        if (status != 0) {
            throw new IOException("bin/" + script + " exited with status " + status);
        }
    }

    /** Waits for the Karaf JVM of the manager folder and returns its process id. */
    long awaitManagerPid() throws Exception {
        String home = managerHome.toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> karaf = ProcessHandle.allProcesses()
                    .filter(process -> process.info().commandLine()
                            .filter(line -> line.contains(home) && line.contains("org.apache.karaf.main.Main"))
                            .isPresent())
                    .findFirst();
            if (karaf.isPresent()) {
                return karaf.get().pid();
            }
            Thread.sleep(100);
        }
        throw new IOException("No Karaf JVM of " + home + " started within 60 s of bin/start");
    }

    // -----------------------------------------------------------------------------------
    // Manager memory and CPU
    // -----------------------------------------------------------------------------------

    /** Runs a full GC in the manager and records its heap, RSS, threads and open files. */
    void recordManager(String prefix) throws Exception {
        jcmd("GC.run");
        Thread.sleep(1_000);
        String heapInfo = jcmd("GC.heap_info");
        var matcher = java.util.regex.Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K")
                .matcher(heapInfo);
        if (!matcher.find()) {
            throw new IOException("Unexpected GC.heap_info output: " + heapInfo);
        }
        long committedKb = Long.parseLong(matcher.group(1));
        long usedKb = Long.parseLong(matcher.group(2));
        String status = Files.readString(Path.of("/proc", Long.toString(managerPid), "status"));
        long rssKb = statusField(status, "VmRSS");
        long threads = statusField(status, "Threads");
        long files;
        try (var fds = Files.list(Path.of("/proc", Long.toString(managerPid), "fd"))) {
            files = fds.count();
        }
        double cpu = managerCpuTicks() / (double) CLOCK_TICKS_PER_SECOND;
        log("manager with %d connected nodes: heap used after full GC %.1f MB (committed %.0f MB), RSS %.0f MB,"
                + " %d threads, %d open files, CPU since start %.1f s", connected.get(), usedKb / 1024.0,
                committedKb / 1024.0, rssKb / 1024.0, threads, files, cpu);
        results.printf("%s.connected\t%d%n%s.heap_used_mb\t%.1f%n%s.heap_committed_mb\t%.0f%n%s.rss_mb\t%.0f%n"
                + "%s.threads\t%d%n%s.open_files\t%d%n%s.manager_cpu_since_start_s\t%.1f%n", prefix, connected.get(),
                prefix, usedKb / 1024.0, prefix, committedKb / 1024.0, prefix, rssKb / 1024.0, prefix, threads,
                prefix, files, prefix, cpu);
    }

    /** Starts a JFR recording with the "profile" settings in the manager when {@code enabled}. */
    void startRecording(boolean enabled, String name) throws Exception {
        if (enabled) {
            jcmd("JFR.start", "name=" + name, "settings=profile");
        }
    }

    /** Stops the recording and writes it to DIRECTORY/NAME.jfr when {@code enabled}. */
    void stopRecording(boolean enabled, String name, Path directory) throws Exception {
        if (enabled) {
            Path file = directory.resolve(name + ".jfr").toAbsolutePath();
            jcmd("JFR.stop", "name=" + name, "filename=" + file);
            log("wrote the manager's JFR recording of the %s phase to %s", name, file);
        }
    }

    String jcmd(String... command) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("jcmd", Long.toString(managerPid)));
        arguments.addAll(List.of(command));
        Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    static long statusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("/proc/<pid>/status has no field " + field);
    }

    /** Returns the manager's user and system CPU time in clock ticks, from /proc/PID/stat. */
    long managerCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(managerPid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces:
            // state is field 3, utime field 14 and stime field 15.
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

    static double generatorHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    // -----------------------------------------------------------------------------------
    // Simulated node
    // -----------------------------------------------------------------------------------

    /** One node: its identity, its control session and the revisions it acknowledged. */
    final class SimulatedNode implements ControlListener {

        final int index;
        final String fullName;
        final String token;
        // ExponentialBackoff is synchronized, so an unsynchronized generator per node is safe.
        final ExponentialBackoff backoff = new ExponentialBackoff(BACKOFF_BASE, BACKOFF_CAP,
                new SplittableRandom(random.nextLong()));
        KeyPair keyPair;
        String csr;
        String enrollment;
        String nodeId;
        SSLContext tls;

        final AtomicBoolean reconnectScheduled = new AtomicBoolean();
        volatile ControlSession session;
        volatile long openedAtNanos;
        volatile long helloAckNanos;
        volatile boolean helloAckAfterRestart;
        volatile boolean ackedAfterRestart;
        volatile long ackedRevision;
        volatile long ackedAtNanos;
        volatile byte[] lastEnvelope;

        SimulatedNode(int index, String fullName, String token) {
            this.index = index;
            this.fullName = fullName;
            this.token = token;
        }

        /** Reads the enrollment response and builds the node's TLS context. */
        void identify(JsonNode enrolled) {
            nodeId = enrolled.get("nodeId").asText();
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode pem : enrolled.get("certificateChain")) {
                chain.addAll(Pem.readCertificates(pem.asText()));
            }
            if (!chain.get(chain.size() - 1).equals(root)) {
                throw new IllegalStateException("The chain of node " + fullName + " does not end in the root CA");
            }
            synchronized (ControlPlaneBench.this) {
                if (controlAddress == null) {
                    String address = enrolled.get("controlAddress").asText();
                    int colon = address.lastIndexOf(':');
                    controlAddress = new InetSocketAddress(address.substring(0, colon),
                            Integer.parseInt(address.substring(colon + 1)));
                }
            }
            // Bouncy Castle's JSSE, as the node agent's control connection uses.
            tls = TlsContexts.mutualTlsContext(keyPair.getPrivate(), chain, root, Set::of, Clock.systemUTC(), random,
                    TlsImplementation.BOUNCY_CASTLE);
            keyPair = null;
            csr = null;
            enrollment = null;
        }

        void connect() {
            reconnectScheduled.set(false);
            if (stopping.get()) {
                return;
            }
            ControlConnector connector = connectors.get(index % connectors.size());
            connector.connect(controlAddress, tls, this).whenComplete((opened, failure) -> {
                if (failure != null) {
                    failedAttempts.incrementAndGet();
                    if (rootCause(failure) instanceof ConnectException) {
                        refusedConnections.incrementAndGet();
                    }
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
            openedAtNanos = System.nanoTime();
            opened.send(new Hello(ControlProtocol.SUPPORTED_VERSIONS, WEFT_VERSION, ackedRevision,
                    (System.nanoTime() - startNanos) / 1_000_000));
        }

        @Override
        public void messageReceived(ControlSession from, ControlMessage message) {
            if (message instanceof DesiredState state) {
                from.send(StateAck.applied(state.revision()));
                if (index == 0) {
                    lastEnvelope = state.envelope();
                }
                ackedAtNanos = System.nanoTime();
                ackedRevision = Math.max(ackedRevision, state.revision());
                ackedAfterRestart = true;
            } else if (message instanceof HelloAck ack) {
                if (ack.accepted()) {
                    session = from;
                    helloAckNanos = System.nanoTime();
                    helloAckAfterRestart = true;
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
                ackedAfterRestart = false;
            } else {
                failedAttempts.incrementAndGet();
            }
            if (System.nanoTime() - openedAtNanos > STABLE_SESSION.toNanos()) {
                backoff.reset();
            }
            scheduleReconnect();
        }
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
        if (response.statusCode() != expectedStatus) {
            throw new IOException(method + " " + path + " returned HTTP " + response.statusCode() + ", expected "
                    + expectedStatus + ": " + response.body());
        }
        return response;
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
                        + connected.get() + " of " + nodes.size() + " nodes connected, " + failedAttempts.get()
                        + " failed attempts)");
            }
            if (now > nextLog) {
                log("waiting for %s: %d of %d nodes connected, %d failed attempts", description, connected.get(),
                        nodes.size(), failedAttempts.get());
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

    static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    static void log(String format, Object... args) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(Locale.ROOT, format,
                args));
    }
}
