import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshSettings;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Measures the memory of idle mesh tunnels with the io.weft.mesh library in two JVMs, so each
 * side's figure is its own. This JVM creates a Weft CA, listens as gateway gw1 and starts a
 * second JVM of this class that dials N tunnels, each from an endpoint with its own node
 * identity, in two equal batches. This JVM measures its live heap (after full GCs) and its
 * resident memory after each batch, and reports the growth divided by the second batch's
 * tunnels, so one-time costs of the first tunnel fall into the first batch. Arguments: {@code N WORK_DIR SOURCE_FILE}, where SOURCE_FILE is
 * this file, which the second JVM runs as {@code dial PORT N WORK_DIR}.
 *
 * <p>It measures the library's tunnel, as a node runs it: the MINA session with its SSL
 * filter and TLS 1.3 engine, the frame decoder and the multiplexer. It leaves out the node
 * layer's few objects per tunnel (its dialer and the tunnel's entry in the node's maps).
 */
public class TunnelMemory {

    private static final String DOMAIN = "bench.example";
    private static final String GATEWAY = "gw1";
    private static final long SETTLE_MILLIS = 2_000;
    private static final String FIRST_BATCH_OPEN = "first batch open";
    private static final String SECOND_BATCH_OPEN = "second batch open";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("dial")) {
            dial(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
        } else if (args.length == 3) {
            listen(Integer.parseInt(args[0]), Path.of(args[1]), Path.of(args[2]));
        } else {
            throw new IllegalArgumentException("Usage: TunnelMemory N WORK_DIR SOURCE_FILE");
        }
    }

    /** Listens as the gateway and reports its memory per accepted tunnel. */
    static void listen(int tunnels, Path workDir, Path sourceFile) throws Exception {
        Files.createDirectories(workDir);
        Path caDir = workDir.resolve("ca");
        CertificateAuthority ca = CaFiles.exists(caDir) ? new CaFiles(Clock.systemUTC(), RANDOM).load(caDir)
                : new CaFiles(Clock.systemUTC(), RANDOM).create(caDir, "Weft bench");
        MeshListener rejectStreams = stream -> null;
        try (MeshEndpoint gateway = new MeshEndpoint("gateway", context(ca, GATEWAY), MeshSettings.defaults(),
                rejectStreams)) {
            InetSocketAddress address = gateway.listen(new InetSocketAddress("127.0.0.1", 0));
            Process dialer = new ProcessBuilder(javaCommand(sourceFile, address.getPort(), tunnels, workDir))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                measureAccepting(gateway, dialer, tunnels);
            } finally {
                dialer.destroy();
            }
        }
        System.out.println("idle_tunnel.tunnels\t" + tunnels / 2 + " + " + (tunnels - tunnels / 2));
    }

    /** Measures after each batch of the dialling JVM's tunnels, then lets it close them. */
    private static void measureAccepting(MeshEndpoint gateway, Process dialer, int tunnels) throws Exception {
        int firstBatch = tunnels / 2;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(dialer.getInputStream(),
                StandardCharsets.UTF_8))) {
            awaitLine(lines, FIRST_BATCH_OPEN);
            waitForTunnels(gateway, firstBatch);
            long[] first = memory();

            dialer.getOutputStream().write('\n');
            dialer.getOutputStream().flush();
            awaitLine(lines, SECOND_BATCH_OPEN);
            waitForTunnels(gateway, tunnels);
            long[] second = memory();
            report("idle_tunnel.accepting", first, second, tunnels - firstBatch);

            dialer.getOutputStream().close();
            awaitLine(lines, null);
        }
        if (!dialer.waitFor(60, TimeUnit.SECONDS)) {
            throw new IOException("the dialling JVM did not exit within 60 s");
        }
    }

    /** Copies the dialling JVM's lines to standard output until {@code expected}, or its end when null. */
    private static void awaitLine(BufferedReader lines, String expected) throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.equals(expected)) {
                return;
            }
            System.out.println(line);
        }
        if (expected != null) {
            throw new IOException("the dialling JVM exited before it printed '" + expected + "'");
        }
    }

    /**
     * Dials {@code tunnels} tunnels from as many endpoints, one after the other, in two batches
     * with a line on standard input in between, then waits for standard input to close. This
     * side is not measured: each endpoint brings its own MINA connector and timer thread, which
     * an edge with one tunnel per gateway does not multiply. Exits the JVM on any failure, because the
     * endpoints' threads would otherwise keep it running and the listening JVM waiting.
     */
    static void dial(int port, int tunnels, Path workDir) {
        List<MeshEndpoint> endpoints = new ArrayList<>();
        try {
            CertificateAuthority ca = new CaFiles(Clock.systemUTC(), RANDOM).load(workDir.resolve("ca"));
            List<SSLContext> contexts = new ArrayList<>();
            for (int i = 0; i < tunnels; i++) {
                contexts.add(context(ca, "edge-" + i));
            }
            InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", port);
            int firstBatch = tunnels / 2;

            dialBatch(gateway, contexts.subList(0, firstBatch), endpoints);
            System.out.println(FIRST_BATCH_OPEN);
            System.out.flush();
            while (System.in.read() != '\n') {
                // Wait until the listening JVM has measured the first batch.
            }
            dialBatch(gateway, contexts.subList(firstBatch, tunnels), endpoints);
            System.out.println(SECOND_BATCH_OPEN);
            System.out.flush();

            while (System.in.read() >= 0) {
                // Wait until the listening JVM has measured and closes standard input.
            }
            endpoints.forEach(MeshEndpoint::close);
        } catch (Exception e) {
            System.err.println("Dialling " + tunnels + " tunnels to 127.0.0.1:" + port + " failed after "
                    + endpoints.size() + " endpoints: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void dialBatch(InetSocketAddress gateway, List<SSLContext> contexts, List<MeshEndpoint> endpoints)
            throws Exception {
        for (SSLContext context : contexts) {
            String name = "edge-" + endpoints.size();
            MeshEndpoint endpoint = new MeshEndpoint(name, context, MeshSettings.defaults(), stream -> null);
            endpoints.add(endpoint);
            endpoint.dial(gateway, GATEWAY + "." + DOMAIN).get(60, TimeUnit.SECONDS);
        }
    }

    private static SSLContext context(CertificateAuthority ca, String node) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, "node-" + node));
        return TlsContexts.mutualTlsContext(keys.getPrivate(), ca.chainFor(leaf), ca.rootCertificate(), Set::of,
                Clock.systemUTC(), RANDOM);
    }

    private static List<String> javaCommand(Path sourceFile, int port, int tunnels, Path workDir) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:SoftRefLRUPolicyMSPerMB=0",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path")));
        command.add(sourceFile.toString());
        command.addAll(List.of("dial", String.valueOf(port), String.valueOf(tunnels), workDir.toString()));
        return command;
    }

    /** Waits until the gateway has {@code expected} open tunnels, then lets the process settle. */
    private static void waitForTunnels(MeshEndpoint gateway, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gateway.tunnels().size() != expected) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the gateway has " + gateway.tunnels().size() + " open tunnels after 60 s, "
                        + "expected " + expected);
            }
            Thread.sleep(50);
        }
        Thread.sleep(SETTLE_MILLIS);
    }

    /** Returns the heap in use after full collections and the resident bytes of this JVM. */
    static long[] memory() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new long[] {heap, rss};
    }

    private static void report(String key, long[] before, long[] after, int tunnels) {
        System.out.println(key + ".heap_bytes_per_tunnel\t" + (after[0] - before[0]) / tunnels);
        System.out.println(key + ".rss_bytes_per_tunnel\t" + (after[1] - before[1]) / tunnels);
        System.out.flush();
    }
}
