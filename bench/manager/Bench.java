import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Load client for bench/manager/run.sh: fills a Weft manager with a domain tree and nodes,
 * then times effective profiles and node listings over HTTP.
 *
 * <p>Runs with the JDK's source launcher and Jackson on the class path. Every request sends
 * {@code Authorization: Bearer <token>}, so each figure includes the token check (one SHA-256
 * and one store lookup on the manager). Timings are wall-clock from sending the request to
 * reading the whole body, on one HTTP/1.1 connection that the client keeps open.
 *
 * <pre>
 * java -cp JACKSON_JARS Bench.java populate  BASE_URL TOKEN_FILE REGIONS SITES_PER_REGION NODES PARALLELISM
 * java -cp JACKSON_JARS Bench.java measure   BASE_URL TOKEN_FILE SAMPLE SEED RESULTS_FILE
 * java -cp JACKSON_JARS Bench.java load      BASE_URL TOKEN_FILE SECONDS
 * </pre>
 */
public class Bench {

    static final String ROOT_DOMAIN = "weft-bench.example";
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .sslContext(trustingManagerCa())
            .build();
    final String apiBase;
    final String authorization;

    /** Returns a TLS context that trusts only the root CA in the file that WEFT_CA_FILE names. */
    static javax.net.ssl.SSLContext trustingManagerCa() {
        String file = System.getenv("WEFT_CA_FILE");
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("WEFT_CA_FILE is not set: set it to the manager's data/weft/ca/root-ca.pem");
        }
        try (var in = Files.newInputStream(Path.of(file))) {
            var root = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            var trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("weft-root", root);
            var factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            var context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Failed to trust the root CA in " + file + ": " + e, e);
        }
    }

    Bench(String apiBase, Path tokenFile) throws IOException {
        this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        this.authorization = "Bearer " + Files.readString(tokenFile).strip();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            usage();
        }
        Bench bench = new Bench(args[1], Path.of(args[2]));
        switch (args[0]) {
            case "populate" -> {
                requireArgs(args, 7);
                bench.populate(Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            }
            case "measure" -> {
                requireArgs(args, 6);
                bench.measure(Integer.parseInt(args[3]), Long.parseLong(args[4]), Path.of(args[5]));
            }
            case "load" -> {
                requireArgs(args, 4);
                bench.load(Integer.parseInt(args[3]));
            }
            default -> usage();
        }
    }

    static void requireArgs(String[] args, int count) {
        if (args.length != count) {
            usage();
        }
    }

    static void usage() {
        System.err.println("usage: Bench populate BASE_URL TOKEN_FILE REGIONS SITES_PER_REGION NODES PARALLELISM\n"
                + "       Bench measure  BASE_URL TOKEN_FILE SAMPLE SEED RESULTS_FILE\n"
                + "       Bench load     BASE_URL TOKEN_FILE SECONDS\n"
                + "BASE_URL is the API base, such as https://127.0.0.1:8443/api/v1; the environment variable\n"
                + "WEFT_CA_FILE names the manager's data/weft/ca/root-ca.pem, which the client trusts");
        System.exit(2);
    }

    // -----------------------------------------------------------------------------------
    // HTTP
    // -----------------------------------------------------------------------------------

    /** A response body with the time from sending the request to reading the body, in ns. */
    record Timed(int status, String body, long nanos) {
    }

    Timed send(String method, String path, JsonNode body, int expectedStatus) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiBase + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != expectedStatus) {
            throw new IOException(method + " " + path + " returned HTTP " + response.statusCode()
                    + ", expected " + expectedStatus + ": " + response.body());
        }
        return new Timed(response.statusCode(), response.body(), nanos);
    }

    Timed get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, 200);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // -----------------------------------------------------------------------------------
    // populate
    // -----------------------------------------------------------------------------------

    static String region(int r) {
        return String.format(Locale.ROOT, "r%02d.%s", r, ROOT_DOMAIN);
    }

    static String site(int r, int s) {
        return String.format(Locale.ROOT, "s%02d.%s", s, region(r));
    }

    /**
     * Creates the root domain, REGIONS regions below it, SITES sites below each region, a
     * profile on every domain, and NODES nodes spread evenly over the sites. One node in ten
     * gets its own profile. Requests within a level run PARALLELISM at a time.
     */
    void populate(int regions, int sitesPerRegion, int nodeCount, int parallelism) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            long start = System.nanoTime();

            createDomain(ROOT_DOMAIN);
            send("PUT", "/domains/" + ROOT_DOMAIN + "/profile", rootProfile(), 201);

            List<String> regionNames = new ArrayList<>();
            for (int r = 1; r <= regions; r++) {
                regionNames.add(region(r));
            }
            runAll(pool, regionNames, name -> {
                createDomain(name);
                send("PUT", "/domains/" + name + "/profile", regionProfile(name), 201);
            });

            List<String> siteNames = new ArrayList<>();
            for (int r = 1; r <= regions; r++) {
                for (int s = 1; s <= sitesPerRegion; s++) {
                    siteNames.add(site(r, s));
                }
            }
            runAll(pool, siteNames, name -> {
                createDomain(name);
                send("PUT", "/domains/" + name + "/profile", siteProfile(name), 201);
            });
            log("created %d domains with profiles in %.1f s", 1 + regionNames.size() + siteNames.size(),
                    seconds(System.nanoTime() - start));

            long nodesStart = System.nanoTime();
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < nodeCount; i++) {
                indexes.add(i);
            }
            runAll(pool, indexes, i -> createNode(i, siteNames.get(i % siteNames.size())));
            double nodeSeconds = seconds(System.nanoTime() - nodesStart);
            log("created %d nodes (%d with their own profile) in %.1f s, %.0f nodes/s with %d parallel requests",
                    nodeCount, (nodeCount + 9) / 10, nodeSeconds, nodeCount / nodeSeconds, parallelism);
        } finally {
            pool.shutdownNow();
        }
    }

    interface Task<T> {
        void run(T item) throws Exception;
    }

    /** Runs the task on every item through the pool and fails on the first failed item. */
    static <T> void runAll(ExecutorService pool, List<T> items, Task<T> task) throws Exception {
        List<Future<?>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> {
                task.run(item);
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    void createDomain(String name) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("description", "bench/manager domain");
        send("POST", "/domains", body, 201);
    }

    void createNode(int index, String siteName) throws Exception {
        String name = String.format(Locale.ROOT, "n%05d", index);
        ObjectNode body = JSON.createObjectNode()
                .put("name", name)
                .put("domain", siteName)
                .put("role", index % 50 == 0 ? "gateway" : "edge");
        body.putArray("tags").add("bench").add(index % 2 == 0 ? "even" : "odd");
        send("POST", "/nodes", body, 201);
        if (index % 10 == 0) {
            send("PUT", "/nodes/" + name + "." + siteName + "/profile", nodeProfile(index), 201);
        }
    }

    static ObjectNode entry(String type, Object value) {
        ObjectNode entry = JSON.createObjectNode().put("type", type);
        entry.set("value", JSON.valueToTree(value));
        return entry;
    }

    static ObjectNode removal() {
        return JSON.createObjectNode().put("remove", true);
    }

    /** Builds {"pids": {pid: {key: entry}}} from alternating pid, key, entry arguments. */
    static ObjectNode profile(Object... pidKeyEntry) {
        ObjectNode document = JSON.createObjectNode();
        ObjectNode pids = document.putObject("pids");
        for (int i = 0; i < pidKeyEntry.length; i += 3) {
            String pid = (String) pidKeyEntry[i];
            ObjectNode keys = pids.has(pid) ? (ObjectNode) pids.get(pid) : pids.putObject(pid);
            keys.set((String) pidKeyEntry[i + 1], (JsonNode) pidKeyEntry[i + 2]);
        }
        return document;
    }

    /** Four PIDs and 14 keys that the lower levels override or remove. */
    static ObjectNode rootProfile() {
        return profile(
                "io.weft.agent", "log.level", entry("string", "INFO"),
                "io.weft.agent", "heartbeat.seconds", entry("long", 30),
                "io.weft.agent", "legacy.mode", entry("boolean", true),
                "io.weft.agent", "features", entry("string[]", List.of("metrics", "logs", "tunnel")),
                "io.weft.tunnel", "relay.hosts", entry("string[]", List.of("relay-a.weft-bench.example", "relay-b.weft-bench.example")),
                "io.weft.tunnel", "keepalive.seconds", entry("long", 25),
                "io.weft.tunnel", "mtu", entry("long", 1400),
                "io.weft.metrics", "interval.seconds", entry("long", 60),
                "io.weft.metrics", "sample.ratio", entry("double", 0.25),
                "io.weft.metrics", "labels", entry("string[]", List.of("fleet=bench")),
                "org.ops4j.pax.web", "org.osgi.service.http.port", entry("long", 8443),
                "org.ops4j.pax.web", "org.ops4j.pax.web.session.timeout", entry("long", 30),
                "org.ops4j.pax.web", "old.key", entry("string", "obsolete"),
                "org.ops4j.pax.web", "org.osgi.service.http.secure.enabled", entry("boolean", true));
    }

    /** Overrides two root keys, removes two, and adds a key of its own. */
    static ObjectNode regionProfile(String region) {
        return profile(
                "io.weft.agent", "heartbeat.seconds", entry("long", 20),
                "io.weft.agent", "legacy.mode", removal(),
                "io.weft.tunnel", "relay.hosts", entry("string[]", List.of("relay." + region)),
                "io.weft.metrics", "labels", entry("string[]", List.of("fleet=bench", "region=" + region)),
                "org.ops4j.pax.web", "old.key", removal());
    }

    /** Overrides a root and a region key, and adds a factory PID. */
    static ObjectNode siteProfile(String site) {
        return profile(
                "io.weft.agent", "log.level", entry("string", "DEBUG"),
                "io.weft.metrics", "labels", entry("string[]", List.of("fleet=bench", "site=" + site)),
                "io.weft.site~edge", "site.name", entry("string", site),
                "io.weft.site~edge", "uplink.mbps", entry("long", 100));
    }

    /** Overrides a site key, sets a removed key again and removes another. */
    static ObjectNode nodeProfile(int index) {
        return profile(
                "io.weft.agent", "log.level", entry("string", "TRACE"),
                "io.weft.agent", "legacy.mode", entry("boolean", false),
                "io.weft.tunnel", "mtu", removal(),
                "io.weft.node", "index", entry("long", index));
    }

    // -----------------------------------------------------------------------------------
    // measure
    // -----------------------------------------------------------------------------------

    /** Lists every node, page by page, and returns their full names in listing order. */
    List<String> listAll(int limit, List<Long> pageNanos) throws Exception {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/nodes?limit=" + limit + (cursor == null ? "" : "&cursor=" + encode(cursor));
            Timed page = get(path);
            if (pageNanos != null) {
                pageNanos.add(page.nanos());
            }
            JsonNode json = JSON.readTree(page.body());
            for (JsonNode item : json.get("items")) {
                names.add(item.get("fullName").asText());
            }
            JsonNode next = json.get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        return names;
    }

    /**
     * Times GET /nodes/{fullName} and GET /nodes/{fullName}/effective-profile of SAMPLE
     * nodes, in random order and with the two requests of a node in random order, after a
     * warm-up over every node. Then times full listings at limit 100 and 1000. Writes the
     * figures to the results file as tab-separated lines and prints them.
     */
    void measure(int sampleSize, long seed, Path resultsFile) throws Exception {
        Random random = new Random(seed);
        Map<String, String> results = new LinkedHashMap<>();

        List<String> all = listAll(1000, null);
        Set<String> unique = new HashSet<>(all);
        if (unique.size() != all.size()) {
            throw new IOException("the listing returned " + all.size() + " items but only "
                    + unique.size() + " distinct full names");
        }
        results.put("nodes.listed", Integer.toString(all.size()));

        // Warm-up: one pass over every node, so that the JIT has compiled the paths and
        // Derby's page cache contains what later requests read.
        long warmStart = System.nanoTime();
        for (String name : all) {
            get("/nodes/" + name + "/effective-profile");
            get("/nodes/" + name);
        }
        log("warm-up: %d effective profiles and %d node reads in %.1f s", all.size(), all.size(),
                seconds(System.nanoTime() - warmStart));

        List<String> sample = new ArrayList<>(all);
        Collections.shuffle(sample, random);
        sample = sample.subList(0, Math.min(sampleSize, sample.size()));

        long[] effective = new long[sample.size()];
        long[] node = new long[sample.size()];
        long effectiveBytes = 0;
        long nodeBytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < sample.size(); i++) {
            String name = sample.get(i);
            boolean effectiveFirst = random.nextBoolean();
            if (effectiveFirst) {
                Timed effectiveResponse = get("/nodes/" + name + "/effective-profile");
                effective[i] = effectiveResponse.nanos();
                effectiveBytes += effectiveResponse.body().length();
            }
            Timed nodeResponse = get("/nodes/" + name);
            node[i] = nodeResponse.nanos();
            nodeBytes += nodeResponse.body().length();
            if (!effectiveFirst) {
                Timed effectiveResponse = get("/nodes/" + name + "/effective-profile");
                effective[i] = effectiveResponse.nanos();
                effectiveBytes += effectiveResponse.body().length();
            }
        }
        double pairSeconds = seconds(System.nanoTime() - start);
        log("measured %d effective profiles and %d node reads in %.1f s", sample.size(), sample.size(), pairSeconds);

        results.put("effective.samples", Integer.toString(sample.size()));
        putPercentiles(results, "effective", effective);
        results.put("effective.body_bytes_mean", Long.toString(effectiveBytes / sample.size()));
        putPercentiles(results, "node", node);
        results.put("node.body_bytes_mean", Long.toString(nodeBytes / sample.size()));
        long[] difference = new long[sample.size()];
        for (int i = 0; i < sample.size(); i++) {
            difference[i] = effective[i] - node[i];
        }
        putPercentiles(results, "effective_minus_node", difference);

        for (int limit : new int[] { 100, 1000 }) {
            listAll(limit, null);
            List<Long> pages = new ArrayList<>();
            long[] totals = new long[3];
            for (int round = 0; round < totals.length; round++) {
                long listStart = System.nanoTime();
                List<String> listed = listAll(limit, pages);
                totals[round] = System.nanoTime() - listStart;
                if (listed.size() != all.size()) {
                    throw new IOException("listing at limit " + limit + " returned " + listed.size()
                            + " nodes, expected " + all.size());
                }
            }
            String prefix = "list" + limit;
            results.put(prefix + ".rounds", Integer.toString(totals.length));
            results.put(prefix + ".pages_per_round", Integer.toString(pages.size() / totals.length));
            Arrays.sort(totals);
            results.put(prefix + ".total_ms_min", millis(totals[0]));
            results.put(prefix + ".total_ms_median", millis(totals[totals.length / 2]));
            results.put(prefix + ".total_ms_max", millis(totals[totals.length - 1]));
            putPercentiles(results, prefix + ".page", pages.stream().mapToLong(Long::longValue).toArray());
        }

        StringBuilder text = new StringBuilder();
        results.forEach((key, value) -> text.append(key).append('\t').append(value).append('\n'));
        Files.writeString(resultsFile, text);
        System.out.print(text);
    }

    static void putPercentiles(Map<String, String> results, String prefix, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        results.put(prefix + ".p50_ms", millis(percentile(sorted, 50)));
        results.put(prefix + ".p90_ms", millis(percentile(sorted, 90)));
        results.put(prefix + ".p99_ms", millis(percentile(sorted, 99)));
        results.put(prefix + ".max_ms", millis(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    // -----------------------------------------------------------------------------------
    // load
    // -----------------------------------------------------------------------------------

    /** Requests effective profiles of every node in turn for SECONDS, as load for a profiler. */
    void load(int seconds) throws Exception {
        List<String> all = listAll(1000, null);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int count = 0;
        while (System.nanoTime() < deadline) {
            get("/nodes/" + all.get(count % all.size()) + "/effective-profile");
            count++;
        }
        log("load: %d effective profiles in %d s", count, seconds);
    }

    // -----------------------------------------------------------------------------------

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "%s Bench: %s%n", Instant.now().toString().substring(11, 19),
                String.format(Locale.ROOT, format, args));
    }
}
