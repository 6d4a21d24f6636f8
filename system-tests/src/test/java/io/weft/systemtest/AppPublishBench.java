package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * Benchmark, not a test of the build: the time from publishing a new app version (upload and
 * deployment update) until every target node reports it installed, on real distributions.
 * Each version carries 512 KiB of random bytes, so a node downloads it in 3 ranges.
 * Its name does not end in IT, so failsafe runs it only when named with {@code -Dit.test};
 * {@code bench/apps/run.sh} does that. System properties: {@code bench.nodes} (default 2),
 * {@code bench.versions} (default 6, the first of which is the warm-up) and
 * {@code bench.output} (the results file).
 */
@ExtendWith(WeftSystemTestExtension.class)
class AppPublishBench {

    private static final String APP = "org.example.bench.hello";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void publishToAllNodesServing(WeftInstallations installations) throws Exception {
        int nodeCount = Integer.getInteger("bench.nodes", 2);
        int versions = Integer.getInteger("bench.versions", 6);
        WeftInstallation manager = installations.create(Distribution.MANAGER);
        List<WeftInstallation> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(installations.create(Distribution.NODE).withMaxHeap("128m"));
        }
        startTogether(manager, nodes);
        ManagerApi api = new ManagerApi(manager);
        enroll(api, nodes);

        List<Long> millis = new ArrayList<>();
        long revision = 0;
        for (int i = 1; i <= versions; i++) {
            String version = "1.0." + i;
            long started = System.nanoTime();
            api.expect(201, api.postBytes("/apps", "application/java-archive", bundle(version)));
            String body = "{\"id\": \"bench\", \"app\": \"" + APP + "\", \"version\": \"" + version
                    + "\", \"target\": {\"domain\": \"bench.example\"}}";
            JsonNode deployment = i == 1 ? api.expect(201, api.post("/deployments", body))
                    : api.expect(200, api.put("/deployments/bench", "\"" + revision + "\"", body));
            revision = deployment.path("revision").asLong();
            awaitInstalled(api, version, nodeCount);
            millis.add((System.nanoTime() - started) / 1_000_000);
        }

        write(nodeCount, millis);
        assertThat(millis).hasSize(versions);
    }

    private static void startTogether(WeftInstallation manager, List<WeftInstallation> nodes) {
        manager.launch();
        nodes.forEach(WeftInstallation::launch);
        manager.awaitReady();
        manager.awaitSshPort(Duration.ofSeconds(120));
        for (WeftInstallation node : nodes) {
            node.awaitReady();
            node.awaitSshPort(Duration.ofSeconds(120));
        }
    }

    private static void enroll(ManagerApi api, List<WeftInstallation> nodes) {
        api.expect(201, api.post("/domains", "{\"name\": \"bench.example\"}"));
        for (int i = 0; i < nodes.size(); i++) {
            String name = "n" + i;
            api.expect(201, api.post("/nodes", "{\"name\": \"" + name + "\", \"domain\": \"bench.example\","
                    + " \"role\": \"edge\"}"));
            String token = api.expect(201, api.post("/nodes/" + name + ".bench.example/enrollment-tokens", "{}"))
                    .path("token").asText();
            ShellResult enrolled = nodes.get(i).shell().execute("weft:enroll " + token);
            assertThat(enrolled.exitStatus()).as("weft:enroll on %s: %s", name, enrolled.error()).isZero();
        }
    }

    private static void awaitInstalled(ManagerApi api, String version, int nodeCount) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode nodes = api.expect(200, api.get("/deployments/bench")).path("nodes");
            long installed = 0;
            for (JsonNode node : nodes) {
                if (node.path("state").asText().equals("installed")
                        && node.path("reportedVersion").asText().equals(version)) {
                    installed++;
                }
            }
            if (installed == nodeCount) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + nodeCount
                + " nodes to install " + version);
    }

    private static void write(int nodeCount, List<Long> millis) throws IOException {
        List<Long> measured = new ArrayList<>(millis.subList(1, millis.size()));
        List<Long> sorted = new ArrayList<>(measured);
        sorted.sort(null);
        String results = "nodes\t" + nodeCount + "\n"
                + "warmup_ms\t" + millis.get(0) + "\n"
                + "publish_to_all_installed_ms\t" + measured + "\n"
                + "median_ms\t" + sorted.get(sorted.size() / 2) + "\n"
                + "max_ms\t" + sorted.get(sorted.size() - 1) + "\n";
        Path output = Path.of(System.getProperty("bench.output", "target/app-publish-bench.tsv"));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, results, StandardCharsets.UTF_8);
        System.out.print(results);
    }

    private static byte[] bundle(String version) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", APP);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            byte[] payload = new byte[512 * 1024];
            new java.util.Random(version.hashCode()).nextBytes(payload);
            jar.putNextEntry(new ZipEntry("payload.bin"));
            jar.write(payload);
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
