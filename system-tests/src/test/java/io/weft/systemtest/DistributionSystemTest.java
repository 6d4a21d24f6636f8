package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.HarnessSettings;
import io.weft.systemtest.harness.KarafShell;
import io.weft.systemtest.harness.ListeningSocket;
import io.weft.systemtest.harness.OperatorKey;
import io.weft.systemtest.harness.OsgiBundle;
import io.weft.systemtest.harness.ReadinessReport;
import io.weft.systemtest.harness.ShellLoginRejectedException;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.StopResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * What every Weft distribution must do as shipped: boot to ready, report its version, run
 * every bundle, listen on loopback only, provision the operator account and stop cleanly.
 *
 * <p>Read-only tests share one installation started once for the class; tests that restart
 * or stop get their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WeftSystemTestExtension.class)
abstract class DistributionSystemTest {

    private static final Duration PORT_PROBE_TIMEOUT = Duration.ofSeconds(5);

    private WeftInstallation shared;

    /** The distribution under test. */
    abstract Distribution distribution();

    @BeforeAll
    void startSharedInstallation(WeftInstallations installations) {
        shared = installations.start(distribution());
    }

    @Test
    void readinessReportsRoleVersionAndCommit() {
        HttpResponse<String> response = shared.http().get(WeftInstallation.READY_PATH);

        assertThat(response.statusCode()).as("status of GET %s", WeftInstallation.READY_PATH).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type")
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));

        ReadinessReport report = ReadinessReport.parse(response.body());
        assertThat(report.role()).as("role").isEqualTo(distribution().role());
        assertThat(report.version()).as("version").isEqualTo(HarnessSettings.expectedVersion());
        assertThat(report.commit()).as("commit").isNotBlank();
        assertThat(report.ready()).as("ready").isTrue();
        assertThat(report.problems()).as("problems").isEmpty();
        assertThat(report.components()).as("components").isNotEmpty()
                .allSatisfy(component -> assertThat(component.state()).as("state of %s", component.component())
                        .isIn("active", "satisfied", "waiting for configuration"));
    }

    @Test
    void versionCommandMatchesReadiness() {
        ReadinessReport readiness = shared.readiness();

        ShellResult result = shared.shell().execute("weft:version").requireSuccess();

        assertThat(result.outputLines()).as("output of weft:version").containsExactly(
                "Weft " + distribution().role() + " " + HarnessSettings.expectedVersion(),
                "Commit: " + readiness.commit(),
                "Ready:  yes");
    }

    @Test
    void versionCommandPrintsJsonReport() {
        ReadinessReport readiness = shared.readiness();

        ShellResult result = shared.shell().execute("weft:version --json").requireSuccess();
        ReadinessReport report = ReadinessReport.parse(result.output());

        assertThat(report.role()).as("role").isEqualTo(distribution().role());
        assertThat(report.version()).as("version").isEqualTo(HarnessSettings.expectedVersion());
        assertThat(report.commit()).as("commit").isEqualTo(readiness.commit());
        assertThat(report.ready()).as("ready").isTrue();
        assertThat(report.components()).as("components").isEqualTo(readiness.components());
    }

    @Test
    void allBundlesActiveAndFragmentsResolved() {
        List<OsgiBundle> bundles = OsgiBundle.list(shared.shell());

        assertThat(bundles).as("bundles").extracting(OsgiBundle::symbolicName).contains("io.weft.runtime");
        assertThat(bundles).as("bundles that are not fragments")
                .filteredOn(bundle -> !bundle.isFragment())
                .allSatisfy(bundle -> assertThat(bundle.stateName()).as("state of %s", bundle).isEqualTo("ACTIVE"));
        // A fragment never becomes ACTIVE; RESOLVED means it is attached to its host.
        assertThat(bundles).as("fragments")
                .filteredOn(OsgiBundle::isFragment)
                .allSatisfy(bundle -> assertThat(bundle.stateName()).as("state of %s", bundle).isEqualTo("RESOLVED"));
    }

    @Test
    void listensOnLoopbackOnly() {
        List<ListeningSocket> sockets = shared.listeningSockets();

        assertThat(sockets).as("listening sockets of %s", shared.processes())
                .extracting(ListeningSocket::port)
                .contains(shared.sshPort(), shared.httpPort());
        assertThat(sockets).as("listening sockets that are not on loopback")
                .filteredOn(socket -> !socket.isLoopback())
                .isEmpty();
    }

    @Test
    void generatedPasswordStoredAsDigestOnly() throws IOException {
        String password = shared.adminPassword();
        Path usersFile = shared.etc().resolve("users.properties");
        String users = Files.readString(usersFile, StandardCharsets.ISO_8859_1);

        assertThat(Files.getPosixFilePermissions(shared.adminPasswordFile()))
                .as("permissions of %s", shared.adminPasswordFile())
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(password).as("generated password").hasSizeGreaterThanOrEqualTo(16);
        assertThat(users).as("%s", usersFile).doesNotContain(password);
        assertThat(users.toUpperCase()).as("%s", usersFile).contains("{CRYPT}" + sha512Hex(password) + "{CRYPT}");
    }

    @Test
    void passwordLoginWithGeneratedPassword() {
        try (KarafShell shell = shared.shellWithPassword(WeftInstallation.ADMIN_USER, shared.adminPassword())) {
            ShellResult result = shell.execute("weft:version").requireSuccess();

            assertThat(result.outputLines()).as("output of weft:version").contains("Ready:  yes");
        }
    }

    @Test
    void wrongPasswordRejected() {
        try (KarafShell shell = shared.shellWithPassword(WeftInstallation.ADMIN_USER,
                shared.adminPassword() + "-wrong")) {
            assertThatThrownBy(shell::login).isInstanceOf(ShellLoginRejectedException.class);
        }
    }

    @Test
    void unknownKeyRejected() {
        OperatorKey stranger = OperatorKey.generate();

        try (KarafShell shell = KarafShell.withKey(shared.sshPort(), shared.hostKeyFile(),
                WeftInstallation.ADMIN_USER, stranger.keyPair())) {
            assertThatThrownBy(shell::login).isInstanceOf(ShellLoginRejectedException.class);
        }
    }

    /**
     * Guards the harness: every other SSH test passes only if the server presented the key
     * in etc/host.key, because the client rejects any other.
     */
    @Test
    void shellRejectsUnexpectedHostKey(@TempDir Path folder) throws IOException, GeneralSecurityException {
        Path otherHostKey = folder.resolve("host.key");
        writePkcs8Pem(otherHostKey);

        try (KarafShell shell = KarafShell.withKey(shared.sshPort(), otherHostKey, WeftInstallation.ADMIN_USER,
                shared.operatorKey().keyPair())) {
            assertThatThrownBy(shell::login)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("host key rejected");
        }
    }

    @Test
    void restartKeepsProvisionedAccount(WeftInstallations installations) throws IOException {
        WeftInstallation installation = installations.create(distribution()).withMaxHeap("128m");
        installation.start();
        String password = installation.adminPassword();
        String users = Files.readString(installation.etc().resolve("users.properties"), StandardCharsets.ISO_8859_1);
        String keys = Files.readString(installation.etc().resolve("keys.properties"), StandardCharsets.ISO_8859_1);

        ReadinessReport afterRestart = installation.restart();

        assertThat(afterRestart.ready()).as("ready after restart").isTrue();
        assertThat(installation.adminPassword()).as("password after restart").isEqualTo(password);
        assertThat(installation.etc().resolve("users.properties")).as("users.properties after restart")
                .hasContent(users);
        assertThat(installation.etc().resolve("keys.properties")).as("keys.properties after restart")
                .hasContent(keys);
        installation.shell().execute("weft:version").requireSuccess();
        try (KarafShell shell = installation.shellWithPassword(WeftInstallation.ADMIN_USER, password)) {
            shell.execute("weft:version").requireSuccess();
        }
    }

    @Test
    void stopEndsAllProcessesAndClosesPorts(WeftInstallations installations) {
        WeftInstallation installation = installations.start(distribution());
        List<ProcessHandle> processes = installation.processes();
        assertThat(processes).as("processes of %s while running", installation).hasSizeGreaterThanOrEqualTo(2);

        StopResult result = installation.stop();

        assertThat(result.graceful()).as("all processes exited after bin/stop: %s", result).isTrue();
        assertThat(result.stopScriptExitCode()).as("exit code of bin/stop").isZero();
        assertThat(result.exitCode()).as("exit code of bin/karaf server").isZero();
        assertThat(processes).as("processes seen while running").noneMatch(ProcessHandle::isAlive);
        assertThat(installation.processes()).as("processes whose command line names %s", installation.home())
                .isEmpty();
        assertPortClosed(installation.sshPort(), "SSH");
        assertPortClosed(installation.httpPort(), "HTTP");
    }

    private static void assertPortClosed(int port, String listener) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), (int) PORT_PROBE_TIMEOUT.toMillis());
            }
        }).as("connecting to the %s port %d after stop", listener, port).isInstanceOf(ConnectException.class);
    }

    /** Writes a new RSA private key in the PEM form that Karaf uses for etc/host.key. */
    private static void writePkcs8Pem(Path file) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    private static String sha512Hex(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-512", e);
        }
    }
}
