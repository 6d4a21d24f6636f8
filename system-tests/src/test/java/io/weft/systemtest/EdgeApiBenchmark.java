package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.FreePorts;
import io.weft.systemtest.harness.KarafConfigFile;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * Edge API benchmark, run on demand by bench/apps/edge-api/run.sh and never by the build
 * (its name does not end in IT). On one enrolled node distribution it compares the hello
 * app's greet operation through the Edge API with a bare servlet that does the same work on
 * pax-web's HTTPS connector of the same Karaf. Both are HTTPS with keep-alive connections, and
 * the rounds alternate between the two, so drift of the shared machine affects both alike.
 *
 * <p>System properties: {@code bench.seconds} per round (default 10), {@code bench.rounds}
 * per target (3), {@code bench.concurrency} client threads (8), {@code bench.bareServletJar}
 * (required), {@code bench.output}, the file for the figures, {@code bench.nodeJvmProfile}, the
 * node's JVM profile written to its {@code etc/weft-jvm.properties} ({@code small} or
 * {@code throughput}), and {@code bench.nodeJavaOptions}, extra JVM options of the node such as
 * a flight recording (the last three optional).
 */
@ExtendWith(WeftSystemTestExtension.class)
class EdgeApiBenchmark {

    private static final String DOMAIN = "bench.example";
    private static final String NODE = "n1.bench.example";
    private static final String CLIENT = "hello-client";
    private static final String BODY = "{\"name\": \"Ada\"}";
    private static final String KEY_STORE_PASSWORD = "bench-keystore";

    private final int seconds = Integer.getInteger("bench.seconds", 10);
    private final int rounds = Integer.getInteger("bench.rounds", 3);
    private final int concurrency = Integer.getInteger("bench.concurrency", 8);

    @Test
    void edgeApiAgainstBareServlet(WeftInstallations installations) throws Exception {
        Path bareServlet = Path.of(System.getProperty("bench.bareServletJar", "")).toAbsolutePath();
        assertThat(bareServlet).as("bench.bareServletJar").isRegularFile();
        WeftInstallation manager = installations.create(Distribution.MANAGER);
        WeftInstallation node = installations.create(Distribution.NODE);
        String nodeJavaOptions = System.getProperty("bench.nodeJavaOptions", "").strip();
        if (!nodeJavaOptions.isEmpty()) {
            node.withJavaOptions(nodeJavaOptions.split("\\s+"));
        }
        int edgePort = FreePorts.allocate();
        int servletPort = FreePorts.allocate();
        Path benchStore = configureNode(node, edgePort, servletPort);
        String profile = System.getProperty("bench.nodeJvmProfile", "").strip();
        if (!profile.isEmpty()) {
            KarafConfigFile.set(node.etc().resolve("weft-jvm.properties"), "profile", profile);
        }
        startAll(manager, node);
        ManagerApi api = new ManagerApi(manager);
        String token = prepare(api, node, bareServlet);
        HttpClient client = client(manager.home().resolve("data/weft/ca/root-ca.pem"), benchStore);

        Target edge = new Target("edge-api", HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edgePort
                + "/api/v1/apps/hello/ops/greet")).header("Authorization", "Bearer " + token));
        Target bare = new Target("bare-servlet", HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + servletPort + "/bench/greet")));
        awaitServing(client, edge);
        awaitServing(client, bare);
        run(client, edge, Math.max(2, seconds / 2));
        run(client, bare, Math.max(2, seconds / 2));
        List<Result> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            results.add(run(client, edge, seconds));
            results.add(run(client, bare, seconds));
        }

        report(results, token.length());
        assertThat(results).allSatisfy(result -> assertThat(result.errors()).as(result.target()).isZero());
    }

    private Path configureNode(WeftInstallation node, int edgePort, int servletPort) throws IOException,
            InterruptedException {
        Path edgeConfig = node.etc().resolve("io.weft.node.edge.cfg");
        KarafConfigFile.set(edgeConfig, "port", Integer.toString(edgePort));
        // The anchor has no rate limit, so the Edge API's is raised out of the way.
        KarafConfigFile.set(edgeConfig, "ratePerSecond", "1000000");
        KarafConfigFile.set(edgeConfig, "burst", "1000000");
        Path store = node.home().resolve("etc/bench-https.p12");
        keytool(store);
        Path paxWeb = node.etc().resolve("org.ops4j.pax.web.cfg");
        KarafConfigFile.set(paxWeb, "org.osgi.service.http.secure.enabled", "true");
        KarafConfigFile.set(paxWeb, "org.osgi.service.http.port.secure", Integer.toString(servletPort));
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.keystore", store.toString());
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.keystore.type", "PKCS12");
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.keystore.password", KEY_STORE_PASSWORD);
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.key.password", KEY_STORE_PASSWORD);
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.key.alias", "bench");
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.protocols.included", "TLSv1.3,TLSv1.2");
        KarafConfigFile.set(paxWeb, "org.ops4j.pax.web.ssl.clientauth.needed", "false");
        return store;
    }

    /** Writes a key store with a self-signed EC P-256 certificate for 127.0.0.1, as the Edge API's key is P-256. */
    private static void keytool(Path store) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("keytool", "-genkeypair", "-alias", "bench", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", KEY_STORE_PASSWORD,
                "-keypass", KEY_STORE_PASSWORD).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool: %s", output).isZero();
    }

    private static void startAll(WeftInstallation... installations) {
        for (WeftInstallation installation : installations) {
            installation.launch();
        }
        for (WeftInstallation installation : installations) {
            installation.awaitReady();
            installation.awaitSshPort(Duration.ofSeconds(60));
        }
    }

    private static String prepare(ManagerApi api, WeftInstallation node, Path bareServlet) throws IOException {
        api.expect(201, api.post("/domains", "{\"name\": \"" + DOMAIN + "\"}"));
        api.expect(201, api.post("/nodes", "{\"name\": \"n1\", \"domain\": \"" + DOMAIN + "\", \"role\": \"edge\"}"));
        String enrollment = api.expect(201, api.post("/nodes/" + NODE + "/enrollment-tokens", "{}")).path("token")
                .asText();
        requireSuccess(node.shell().execute("weft:enroll " + enrollment), "weft:enroll");
        api.expect(201, api.post("/policies/rules", """
                {"id": "bench-greet", "domain": "%s", "source": "client:%s",
                 "destination": {"operation": "hello/greet"}, "action": "allow"}""".formatted(DOMAIN, CLIENT)));
        requireSuccess(node.shell().execute("bundle:install -s file:" + exampleJar()), "install hello");
        requireSuccess(node.shell().execute("bundle:install -s file:" + bareServlet), "install the bare servlet");
        return api.expect(200, api.post("/api-clients/" + CLIENT + "/tokens",
                "{\"scopes\": [\"hello/greet\"], \"expiresInSeconds\": 3600}")).path("token").asText();
    }

    private static Path exampleJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("..", "examples", "hello", "target"), "hello-*.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        }
        throw new AssertionError("No examples/hello/target/hello-*.jar: build the examples first");
    }

    private static void requireSuccess(ShellResult result, String what) {
        assertThat(result.exitStatus()).as("%s: %s %s", what, result.output(), result.error()).isZero();
    }

    private record Target(String name, HttpRequest.Builder request) {
        HttpRequest build() {
            return request.copy().header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        }
    }

    private record Result(String target, int seconds, long requests, long errors, long p50Micros, long p99Micros) {
        double perSecond() {
            return requests / (double) seconds;
        }
    }

    private static void awaitServing(HttpClient client, Target target) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (client.send(target.build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet: the Edge API starts after enrollment, the servlet after its bundle.
            }
            Thread.sleep(250);
        }
        throw new AssertionError(target.name() + " did not return 200 within 60 s");
    }

    /** Sends requests from {@code concurrency} threads for {@code runSeconds} and measures each one. */
    private Result run(HttpClient client, Target target, int runSeconds) throws InterruptedException,
            ExecutionException {
        long end = System.nanoTime() + Duration.ofSeconds(runSeconds).toNanos();
        AtomicLong errors = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                futures.add(threads.submit(() -> load(client, target, end, errors)));
            }
            List<long[]> latencies = new ArrayList<>();
            for (Future<long[]> future : futures) {
                latencies.add(future.get());
            }
            long[] sorted = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(target.name(), runSeconds, sorted.length, errors.get(), percentile(sorted, 0.50),
                    percentile(sorted, 0.99));
        } finally {
            threads.shutdownNow();
        }
    }

    private static long[] load(HttpClient client, Target target, long end, AtomicLong errors) {
        long[] latencies = new long[1 << 16];
        int count = 0;
        HttpRequest request = target.build();
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    errors.incrementAndGet();
                    continue;
                }
            } catch (IOException e) {
                errors.incrementAndGet();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = (System.nanoTime() - started) / 1_000;
        }
        return Arrays.copyOf(latencies, count);
    }

    private static long percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
    }

    private void report(List<Result> results, int tokenLength) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("machine.nproc\t" + Runtime.getRuntime().availableProcessors());
        lines.add("bench.concurrency\t" + concurrency);
        lines.add("bench.seconds_per_round\t" + seconds);
        lines.add("bench.token_characters\t" + tokenLength);
        for (Result result : results) {
            lines.add(String.format("%s\trequests_per_s=%.0f\tp50_us=%d\tp99_us=%d\terrors=%d", result.target(),
                    result.perSecond(), result.p50Micros(), result.p99Micros(), result.errors()));
        }
        lines.add(String.format("ratio.median_requests_per_s\t%.3f", median(results, "edge-api")
                / median(results, "bare-servlet")));
        PrintStream out = System.out;
        lines.forEach(line -> out.println("EdgeApiBenchmark: " + line));
        String output = System.getProperty("bench.output");
        if (output != null && !output.isBlank()) {
            Files.createDirectories(Path.of(output).toAbsolutePath().getParent());
            Files.write(Path.of(output), lines);
        }
    }

    private static double median(List<Result> results, String target) {
        double[] rates = results.stream().filter(result -> result.target().equals(target))
                .mapToDouble(Result::perSecond).sorted().toArray();
        return rates[rates.length / 2];
    }

    /** Returns a client that trusts the Weft root CA and the benchmark's own certificate. */
    private static HttpClient client(Path rootPem, Path benchStore) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(rootPem)) {
            trust.setCertificateEntry("weft-root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        KeyStore bench = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(benchStore)) {
            bench.load(in, KEY_STORE_PASSWORD.toCharArray());
        }
        trust.setCertificateEntry("bench", bench.getCertificate("bench"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {
                new ChainOnlyTrustManager((X509TrustManager) factory.getTrustManagers()[0])}, null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Checks the server's chain against the trusted certificates but not its host name: the
     * node's certificate names the node, and the benchmark connects to 127.0.0.1.
     */
    private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {

        private final X509TrustManager delegate;

        ChainOnlyTrustManager(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("The benchmark client accepts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("The benchmark client accepts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("The benchmark client accepts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
