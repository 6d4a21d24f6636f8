package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.pki.AppSignatureVerifier;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;
import io.weft.pki.TrustVerifier;
import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * Signed edge apps on the real distributions. An operator uploads a bundle and deploys it to a
 * node, which downloads it over its control connection, verifies it and runs it. An update
 * replaces it, a broken update is rolled back with the previous version still active, and
 * deleting the deployment uninstalls it. The app survives a restart of the node without a new
 * download. A staged rollout to two nodes halts when its canary fails, before the second node
 * gets the broken version. Bad uploads get their status and reason.
 *
 * <p>The tests share one manager and two nodes and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class AppDeploymentIT {

    private static final String NODE = "n1.east.apps.example";
    private static final String APP = "org.example.systemtest.hello";
    private static final String STAGED_APP = "org.example.systemtest.staged";
    private static final String RESIGNED_APP = "org.example.systemtest.resigned";
    private static final String JAR = "application/java-archive";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(60);

    private WeftInstallation manager;
    private WeftInstallation node;
    private WeftInstallation node2;
    private ManagerApi api;
    private long revision;

    @BeforeAll
    void startAndEnroll(WeftInstallations installations) throws IOException {
        manager = installations.create(Distribution.MANAGER);
        node = installations.create(Distribution.NODE);
        node2 = installations.create(Distribution.NODE);
        for (WeftInstallation each : List.of(node, node2)) {
            // A short health check keeps the broken update's rollback quick.
            Files.writeString(each.etc().resolve("io.weft.node.apps.cfg"), "healthTimeoutSeconds = 5\n");
        }
        startTogether(manager, node, node2);
        api = new ManagerApi(manager);
        api.expect(201, api.post("/domains", "{\"name\": \"apps.example\"}"));
        api.expect(201, api.post("/domains", "{\"name\": \"east.apps.example\"}"));

        enroll("n1", node);
        enroll("n2", node2);
    }

    private void enroll(String name, WeftInstallation installation) {
        api.expect(201, api.post("/nodes", "{\"name\": \"" + name + "\", \"domain\": \"east.apps.example\","
                + " \"role\": \"edge\"}"));
        String token = api.expect(201, api.post("/nodes/" + name + ".east.apps.example/enrollment-tokens", "{}"))
                .path("token").asText();

        ShellResult enrolled = installation.shell().execute("weft:enroll " + token);

        assertThat(enrolled.exitStatus()).as("weft:enroll %s: %s %s", name, enrolled.output(), enrolled.error())
                .isZero();
    }

    @Test
    @Order(1)
    void uploadedAppRunsOnTargetNode() {
        JsonNode uploaded = api.expect(201, api.postBytes("/apps", JAR, healthy("1.0.0")));
        assertThat(uploaded.path("sha256").asText()).hasSize(64);
        assertThat(uploaded.path("signature").asText()).isNotEmpty();

        JsonNode created = api.expect(201, api.post("/deployments", "{\"id\": \"hello\", \"app\": \"" + APP
                + "\", \"version\": \"1.0.0\", \"target\": {\"nodes\": [\"" + NODE + "\"]}}"));
        revision = created.path("revision").asLong();

        awaitNodeState("installed", "1.0.0");
        assertThat(apps()).contains(APP).contains("installed");
        assertThat(bundleState()).contains("Active");
    }

    @Test
    @Order(2)
    void updateReplacesRunningVersion() {
        api.expect(201, api.postBytes("/apps", JAR, healthy("2.0.0")));

        update("2.0.0");

        awaitNodeState("installed", "2.0.0");
        assertThat(bundleState()).contains("Active").contains("2.0.0");
    }

    @Test
    @Order(3)
    void appSurvivesRestartWithoutDownload() throws IOException {
        long downloads = downloadsInLog();

        node.restart();

        awaitTrue("app running after the restart", () -> apps().contains("installed"));
        assertThat(bundleState()).contains("Active").contains("2.0.0");
        assertThat(downloadsInLog()).as("downloads in the node's log").isEqualTo(downloads);
    }

    @Test
    @Order(4)
    void brokenUpdateRollsBack() {
        api.expect(201, api.postBytes("/apps", JAR, neverSatisfied("2.1.0")));

        update("2.1.0");

        JsonNode report = awaitNodeState("rolled-back", "2.1.0");
        assertThat(report.path("error").asText()).contains("org.example.Waiting is not satisfied");
        assertThat(bundleState()).contains("Active").contains("2.0.0");
        assertThat(apps()).contains("rolled-back").contains("2.0.0");
    }

    @Test
    @Order(5)
    void failedCanaryHaltsRollout() {
        String staged = "{\"id\": \"staged\", \"app\": \"" + STAGED_APP + "\", \"version\": \"%s\","
                + " \"target\": {\"domain\": \"east.apps.example\"}, \"canary\": {\"count\": 1},"
                + " \"failureThreshold\": {\"count\": 0}}";
        api.expect(201, api.postBytes("/apps", JAR, jar(headers(STAGED_APP, "1.0.0"), Map.of())));
        long stagedRevision = api.expect(201, api.post("/deployments", staged.formatted("1.0.0")))
                .path("revision").asLong();
        awaitTrue("both nodes run the first version", () -> stagedStates().equals("installed 1.0.0,installed 1.0.0"));
        api.expect(201, api.postBytes("/apps", JAR, neverSatisfied(STAGED_APP, "1.1.0")));

        api.expect(200, api.put("/deployments/staged", "\"" + stagedRevision + "\"", staged.formatted("1.1.0")));

        awaitTrue("rollout halted", () -> staged().path("state").asText().equals("halted"));
        assertThat(staged().path("stateReason").asText()).contains("n1.east.apps.example")
                .contains("failed version 1.1.0");
        awaitTrue("canary back on the first version", () -> stagedStates().equals("installed 1.0.0,installed 1.0.0"));
        assertThat(staged().path("nodes").path(1).path("desiredVersion").asText()).as("version of the second node")
                .isEqualTo("1.0.0");
        assertThat(node2.shell().execute("weft:apps --no-format").requireSuccess().output())
                .contains(STAGED_APP).doesNotContain("1.1.0");

        api.expect(204, api.delete("/deployments/staged", "*"));
        awaitTrue("staged app uninstalled", () -> !node2.shell().execute("weft:apps --no-format").output()
                .contains(STAGED_APP));
    }

    @Test
    @Order(6)
    void undeployRemovesApp() {
        api.expect(409, api.delete("/apps/" + APP + "/versions/2.0.0", "*"));
        api.expect(204, api.delete("/deployments/hello", "\"" + revision + "\""));

        awaitTrue("app uninstalled from the node", () -> !apps().contains(APP));
        assertThat(bundleState()).doesNotContain(APP);
        api.expect(204, api.delete("/apps/" + APP + "/versions/2.1.0", "*"));
    }

    @Test
    @Order(7)
    void badUploadsAreRejected() {
        assertRejected(400, api.postBytes("/apps", JAR, "not a jar".getBytes(StandardCharsets.UTF_8)),
                "not a JAR file");
        assertRejected(400, api.postBytes("/apps", JAR, jar(headers("org.example.evil", "1.0.0"),
                Map.of("../../etc/evil.sh", new byte[1]))), "leaves the archive");
        assertRejected(400, api.postBytes("/apps", JAR, jar(Map.of("Bundle-ManifestVersion", "2",
                "Bundle-Version", "1.0.0"), Map.of())), "no Bundle-SymbolicName");
        assertRejected(400, api.postBytes("/apps", JAR, zipBomb()), "zip bomb");
        assertRejected(409, api.postBytes("/apps", JAR, healthy("1.0.0")), "exists already");
        assertRejected(415, api.post("/apps", "{}"), "Content-Type");
    }

    @Test
    @Order(8)
    void revokedSigningCertificateIsReplaced() throws Exception {
        String oldSerial = api.expect(200, api.get("/app-signing-certificate")).path("serial").asText();
        byte[] bundle = jar(headers(RESIGNED_APP, "1.0.0"), Map.of());
        JsonNode uploaded = api.expect(201, api.postBytes("/apps", JAR, bundle));

        JsonNode revocation = api.expect(200, api.post("/app-signing-certificate/revoke",
                "{\"reason\": \"key_compromise\"}"));

        assertThat(revocation.path("revokedSerial").asText()).isEqualTo(oldSerial);
        assertThat(revocation.path("certificate").path("serial").asText()).isNotEqualTo(oldSerial);
        assertThat(revocation.path("failed").size()).as("versions not signed again").isZero();
        JsonNode resigned = api.expect(200, api.get("/apps/" + RESIGNED_APP + "/versions/1.0.0"));
        assertThat(resigned.path("sha256").asText()).isEqualTo(uploaded.path("sha256").asText());
        assertThat(resigned.path("signature").asText()).isNotEqualTo(uploaded.path("signature").asText());
        BigInteger revoked = new BigInteger(oldSerial, 16);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                api.getPem("/pki/crl").body().getBytes(StandardCharsets.US_ASCII)));
        assertThat(crl.getRevokedCertificate(revoked)).as("CRL entry of the old signing certificate").isNotNull();
        assertThat(rejectionOnNode(bundle, uploaded.path("signature").asText(), revoked))
                .as("a node's check of the old signature").contains("revoked");
        assertThat(api.expect(200, api.get("/audit?target=app-signing-certificate")).toString())
                .contains("app-signing.revoke");

        api.expect(201, api.post("/deployments", "{\"id\": \"resigned\", \"app\": \"" + RESIGNED_APP
                + "\", \"version\": \"1.0.0\", \"target\": {\"nodes\": [\"" + NODE + "\"]}}"));
        awaitTrue("fresh deployment signed by the new certificate installed", () -> api.expect(200,
                api.get("/deployments/resigned")).path("nodes").path(0).path("state").asText().equals("installed"));
        api.expect(204, api.delete("/deployments/resigned", "*"));
    }

    /**
     * Returns the error with which a node's signature check rejects the bundle: the same
     * verifier that nodes run, with the Weft root CA and the revoked serial as the node's desired
     * state now carries it.
     */
    private String rejectionOnNode(byte[] bundle, String signature, BigInteger revoked) throws IOException {
        Path file = Files.createTempFile("weft-resigned", ".jar");
        try {
            Files.write(file, bundle);
            X509Certificate root = Pem.readCertificate(Files.readString(manager.home()
                    .resolve("data/weft/ca/root-ca.pem")));
            AppSignatureVerifier verifier = new AppSignatureVerifier(new TrustVerifier(root, () -> Set.of(revoked),
                    Clock.systemUTC()));
            verifier.verify(file, Base64.getDecoder().decode(signature), AppSignatureVerifier.sha256(file));
            return "accepted";
        } catch (PkiException e) {
            return e.getMessage();
        } finally {
            Files.delete(file);
        }
    }

    /** Launches every distribution before waiting for any, so their starts overlap. */
    private static void startTogether(WeftInstallation... installations) {
        for (WeftInstallation installation : installations) {
            installation.launch();
        }
        for (WeftInstallation installation : installations) {
            installation.awaitReady();
            installation.awaitSshPort(SSH_TIMEOUT);
        }
    }

    private JsonNode staged() {
        return api.expect(200, api.get("/deployments/staged"));
    }

    /** Returns "state version" of each target node of the staged deployment, in node order. */
    private String stagedStates() {
        List<String> states = new ArrayList<>();
        for (JsonNode target : staged().path("nodes")) {
            states.add(target.path("state").asText() + " " + target.path("reportedVersion").asText());
        }
        return String.join(",", states);
    }

    private void update(String version) {
        JsonNode updated = api.expect(200, api.put("/deployments/hello", "\"" + revision + "\"", "{\"app\": \"" + APP
                + "\", \"version\": \"" + version + "\", \"target\": {\"nodes\": [\"" + NODE + "\"]}}"));
        revision = updated.path("revision").asLong();
    }

    /** Waits until the deployment shows the node's report with this state and version, and returns the report. */
    private JsonNode awaitNodeState(String state, String version) {
        JsonNode[] report = new JsonNode[1];
        awaitTrue("node report " + state + " " + version, () -> {
            report[0] = api.expect(200, api.get("/deployments/hello")).path("nodes").path(0);
            return report[0].path("state").asText().equals(state)
                    && report[0].path("reportedVersion").asText().equals(version);
        });
        return report[0];
    }

    private long downloadsInLog() throws IOException {
        try (var lines = Files.lines(node.karafLog())) {
            return lines.filter(line -> line.contains("Artifacts: downloading")).count();
        }
    }

    private String apps() {
        return node.shell().execute("weft:apps --no-format").requireSuccess().output();
    }

    private String bundleState() {
        return node.shell().execute("bundle:list -s --no-format | grep " + APP).output();
    }

    private static void assertRejected(int status, java.net.http.HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.body()).contains(reason);
    }

    private void awaitTrue(String expected, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + expected, e);
            }
        }
        throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + expected);
    }

    private static byte[] healthy(String version) {
        return jar(headers(APP, version), Map.of());
    }

    private static byte[] neverSatisfied(String version) {
        return neverSatisfied(APP, version);
    }

    /** Returns a version with a component whose mandatory reference no service ever satisfies. */
    private static byte[] neverSatisfied(String app, String version) {
        Map<String, String> headers = headers(app, version);
        headers.put("Service-Component", "OSGI-INF/waiting.xml");
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"org.example.Waiting\""
                + " immediate=\"true\">\n"
                + "  <implementation class=\"org.example.Waiting\"/>\n"
                + "  <reference name=\"missing\" interface=\"org.example.NeverRegistered\" cardinality=\"1..1\"/>\n"
                + "</scr:component>\n";
        return jar(headers, Map.of("OSGI-INF/waiting.xml", component.getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns a bundle of a few hundred KiB whose one entry unpacks to 300 MiB of zeros, above the 256 MiB default. */
    private static byte[] zipBomb() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers("org.example.bomb", "1.0.0").forEach((key, value) -> manifest.getMainAttributes().putValue(key, value));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] zeros = new byte[1024 * 1024];
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new ZipEntry("zeros.bin"));
            for (int i = 0; i < 300; i++) {
                jar.write(zeros);
            }
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> headers(String name, String version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", name);
        headers.put("Bundle-Version", version);
        return headers;
    }

    private static byte[] jar(Map<String, String> headers, Map<String, byte[]> entries) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((key, value) -> manifest.getMainAttributes().putValue(key, value));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jar.putNextEntry(new ZipEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
