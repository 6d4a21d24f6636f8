package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unpacked Weft distribution on free loopback ports, with a generated operator key,
 * that a test can start, stop and restart as a separate process. It runs in the test's network
 * namespace unless {@link #inNetworkNamespace} moves it into another one.
 *
 * <p>Create it through {@link WeftInstallations}, which stops it and deletes its folder
 * when the test scope ends.
 */
public final class WeftInstallation implements AutoCloseable {

    /** The operator account that the distribution provisions on its first start. */
    public static final String ADMIN_USER = "admin";
    public static final String READY_PATH = "/health/ready";

    private static final Logger LOG = LoggerFactory.getLogger(WeftInstallation.class);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SSH_PORT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_BODY_IN_MESSAGE = 2_000;
    private static final String LOOPBACK = "127.0.0.1";

    private final String name;
    private final Distribution distribution;
    private final Path folder;
    private final Path home;
    private final int sshPort;
    private final int httpPort;
    private final int httpsPort;
    private final int controlPort;
    private final OperatorKey operatorKey;
    private WeftHttpClient http;
    private WeftHttpClient https;
    private final List<String> extraJavaOptions = new ArrayList<>();
    /** Address of the SSH and HTTP listeners, as the test reaches them. */
    private String host = LOOPBACK;
    private List<String> commandPrefix = List.of();

    private KarafProcess process;
    private KarafShell adminShell;

    private WeftInstallation(String name, Distribution distribution, Path folder, Path home,
            int sshPort, int httpPort, int httpsPort, int controlPort, OperatorKey operatorKey) {
        this.name = name;
        this.distribution = distribution;
        this.folder = folder;
        this.home = home;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.controlPort = controlPort;
        this.operatorKey = operatorKey;
        this.http = new WeftHttpClient(LOOPBACK, httpPort);
    }

    /**
     * Unpacks the distribution into the folder, writes free SSH and HTTP ports into etc/, and
     * writes the public key of a new operator key pair to etc/weft-admin.pub.
     */
    static WeftInstallation create(String name, Distribution distribution, Path folder) throws IOException {
        Path home = DistributionArchive.unpack(distribution.archive(), folder);

        int sshPort = FreePorts.allocate();
        int httpPort = FreePorts.allocate();
        KarafConfigFile.set(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        KarafConfigFile.set(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port",
                Integer.toString(httpPort));
        int httpsPort = 0;
        int controlPort = 0;
        if (distribution == Distribution.NODE) {
            // Every node opens its Edge API after enrollment, so nodes of one test need ports of their own.
            KarafConfigFile.set(home.resolve("etc/io.weft.node.edge.cfg"), "port",
                    Integer.toString(FreePorts.allocate()));
        }
        if (distribution == Distribution.MANAGER) {
            httpsPort = FreePorts.allocate();
            controlPort = FreePorts.allocate();
            Path pki = home.resolve("etc/io.weft.manager.pki.cfg");
            KarafConfigFile.set(pki, "httpsPort", Integer.toString(httpsPort));
            KarafConfigFile.set(pki, "enrollmentUrl", "https://127.0.0.1:" + httpsPort + "/api/v1/enroll");
            KarafConfigFile.set(pki, "controlAddress", "127.0.0.1:" + controlPort);
            KarafConfigFile.set(home.resolve("etc/io.weft.manager.control.cfg"), "port", Integer.toString(controlPort));
        }

        OperatorKey operatorKey = OperatorKey.generate();
        operatorKey.writePublicKey(home.resolve("etc/weft-admin.pub"), "weft-system-test@" + name);

        LOG.info("Created {} in {}: SSH port {}, HTTP port {}, HTTPS port {}, control port {}", name, home, sshPort,
                httpPort, httpsPort, controlPort);
        return new WeftInstallation(name, distribution, folder, home, sshPort, httpPort, httpsPort, controlPort,
                operatorKey);
    }

    /** Adds JVM options for every later start; they go into EXTRA_JAVA_OPTS after the distribution's defaults. */
    public WeftInstallation withJavaOptions(String... options) {
        extraJavaOptions.addAll(List.of(options));
        return this;
    }

    /** Sets the maximum heap for every later start, such as {@code 128m}. */
    public WeftInstallation withMaxHeap(String size) {
        return withJavaOptions("-Xmx" + size);
    }

    /**
     * Runs every later start inside the network namespace through {@code ip netns exec}, with the
     * SSH and HTTP listeners on the address instead of 127.0.0.1. The namespace must have that
     * address on an interface that the test reaches. The other listeners stay on 127.0.0.1
     * inside the namespace.
     *
     * @throws IllegalStateException after the first start
     */
    public WeftInstallation inNetworkNamespace(String namespace, String address) {
        if (process != null) {
            throw new IllegalStateException(name + " was already started in " + describeNamespace()
                    + "; choose the namespace before the first start");
        }
        try {
            KarafConfigFile.set(etc().resolve("org.apache.karaf.shell.cfg"), "sshHost", address);
            KarafConfigFile.set(etc().resolve("org.ops4j.pax.web.cfg"), "org.ops4j.pax.web.listening.addresses",
                    address);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to set the listen address " + address + " in " + etc(), e);
        }
        commandPrefix = IpCommand.locate().execPrefix(namespace);
        host = address;
        http = new WeftHttpClient(address, httpPort);
        LOG.info("{} runs in the network namespace {} with SSH and HTTP on {}", name, namespace, address);
        return this;
    }

    /** Starts {@code bin/karaf server} and waits for readiness and for the SSH port. */
    public ReadinessReport start() {
        launch();
        ReadinessReport report = awaitReady();
        awaitSshPort(SSH_PORT_TIMEOUT);
        return report;
    }

    /** Starts {@code bin/karaf server} without waiting. */
    public void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running as pid " + process.pid()
                    + "; stop it before starting it again");
        }
        try {
            process = KarafProcess.start(name, home, folder.resolve("process-output.log"), extraJavaOptions,
                    commandPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start " + home.resolve("bin/karaf") + " server", e);
        }
    }

    /** Waits up to the configured readiness timeout, by default 180 s. */
    public ReadinessReport awaitReady() {
        return awaitReady(HarnessSettings.readyTimeout());
    }

    /**
     * Polls GET {@value #READY_PATH} until it returns 200 and returns the parsed report.
     *
     * @throws AssertionError when the process exits first or the timeout passes; the message
     *         contains the last response
     */
    public ReadinessReport awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int requests = 0;
        String lastResponse = "none";
        while (true) {
            requireRunning("before it was ready; last response: " + lastResponse);

            requests++;
            try {
                HttpResponse<String> response = http.get(READY_PATH);
                if (response.statusCode() == 200) {
                    LOG.info("{} is ready after {} requests to {}", name, requests, http.uri(READY_PATH));
                    return ReadinessReport.parse(response.body());
                }
                lastResponse = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (UncheckedIOException e) {
                lastResponse = e.getCause().toString();
            }

            if (System.nanoTime() >= deadline) {
                throw new AssertionError(name + " was not ready within " + timeout.toSeconds() + " s: " + requests
                        + " requests to " + http.uri(READY_PATH) + " returned no 200; last response: " + lastResponse
                        + ". Raise weft.systemtest.readyTimeoutSeconds if the machine is only slow.");
            }
            pause(POLL_INTERVAL);
        }
    }

    /**
     * Waits until a process of this installation listens on the SSH port. The readiness
     * report covers the Weft components and Karaf's boot features, not the moment Karaf's SSH
     * server binds its port, so a test that logs in right after readiness could otherwise see
     * "connection refused". A wait is logged as a warning, so the gap shows in the test output.
     * The check reads /proc instead of connecting, which would leave a failed session in the log.
     *
     * @throws AssertionError when the process exits first or the timeout passes
     */
    public void awaitSshPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int attempts = 0;
        while (true) {
            requireRunning("before it listened on its SSH port " + sshPort);

            attempts++;
            List<ListeningSocket> sockets = listeningSockets();
            if (sockets.stream().anyMatch(socket -> socket.port() == sshPort)) {
                if (attempts > 1) {
                    LOG.warn("{} was ready but listened on its SSH port {} only after {} checks", name, sshPort,
                            attempts);
                }
                return;
            }

            if (System.nanoTime() >= deadline) {
                throw new AssertionError(name + " is ready but did not listen on its SSH port " + sshPort + " within "
                        + timeout.toSeconds() + " s (" + attempts + " checks); it listens on " + sockets
                        + ". Check sshPort in etc/org.apache.karaf.shell.cfg and " + karafLog());
            }
            pause(POLL_INTERVAL);
        }
    }

    /** Returns the current readiness report, whatever the HTTP status. */
    public ReadinessReport readiness() {
        return ReadinessReport.parse(http.get(READY_PATH).body());
    }

    /**
     * Stops the distribution with {@code bin/stop}; processes still alive after 120 s are
     * destroyed. When the process has already exited, only leftover processes are removed.
     */
    public StopResult stop() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        closeAdminShell();
        StopResult result = process.stop(STOP_TIMEOUT);
        LOG.info("Stopped {}: {}", name, result);
        return result;
    }

    /** Stops the distribution and starts it again on the same ports, and waits for readiness. */
    public ReadinessReport restart() {
        StopResult stopped = stop();
        if (!stopped.graceful()) {
            throw new AssertionError(name + " did not stop cleanly before the restart: " + stopped);
        }
        return start();
    }

    /**
     * Returns the shell of the operator account, which logs in with the generated key and
     * is closed with this installation.
     */
    public KarafShell shell() {
        if (adminShell == null) {
            adminShell = KarafShell.withKey(host, sshPort, hostKeyFile(), ADMIN_USER, operatorKey.keyPair());
        }
        return adminShell;
    }

    /** Creates a shell that logs in with a password. The caller closes it. */
    public KarafShell shellWithPassword(String user, String password) {
        return KarafShell.withPassword(host, sshPort, hostKeyFile(), user, password);
    }

    /** Reads the password that the distribution generated for {@value #ADMIN_USER} on its first start. */
    public String adminPassword() {
        try {
            return Files.readString(adminPasswordFile(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the generated password from " + adminPasswordFile()
                    + "; the distribution writes it on its first start", e);
        }
    }

    /** Returns the live processes of this installation, such as bin/karaf and its JVM. */
    public List<ProcessHandle> processes() {
        return process == null ? KarafProcess.processesNaming(home) : process.processes();
    }

    /** Returns the TCP listening sockets of all live processes of this installation. */
    public List<ListeningSocket> listeningSockets() {
        return ListeningSockets.of(processes());
    }

    public WeftHttpClient http() {
        return http;
    }

    /**
     * Returns a client for the manager's HTTPS port that trusts only the root CA in
     * data/weft/ca/root-ca.pem, which the manager creates at its first start.
     *
     * @throws IllegalStateException for a node, or before the manager created its CA
     */
    public synchronized WeftHttpClient https() {
        if (distribution != Distribution.MANAGER) {
            throw new IllegalStateException(name + " is a node, which has no HTTPS port yet");
        }
        if (https == null) {
            https = WeftHttpClient.https(httpsPort, home.resolve("data/weft/ca/root-ca.pem"));
        }
        return https;
    }

    /** Returns the manager's HTTPS port, or 0 for a node. */
    public int httpsPort() {
        return httpsPort;
    }

    /** Returns the manager's control port. */
    public int controlPort() {
        return controlPort;
    }

    public String name() {
        return name;
    }

    public Distribution distribution() {
        return distribution;
    }

    /** Returns the Karaf home: the folder with bin/, etc/ and data/. */
    public Path home() {
        return home;
    }

    public Path etc() {
        return home.resolve("etc");
    }

    public Path karafLog() {
        return home.resolve("data/log/karaf.log");
    }

    public Path hostKeyFile() {
        return etc().resolve("host.key");
    }

    public Path adminPasswordFile() {
        return etc().resolve("weft-admin.password");
    }

    /** Standard output and standard error of every start, or null before the first start. */
    public Path processOutput() {
        return process == null ? null : process.outputFile();
    }

    /** Returns the folder that contains the home and the process output, which is deleted when the scope ends. */
    Path folder() {
        return folder;
    }

    public int sshPort() {
        return sshPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public OperatorKey operatorKey() {
        return operatorKey;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the distribution if it was started, and closes the shell. */
    @Override
    public void close() {
        closeAdminShell();
        if (process != null) {
            stop();
        }
    }

    private void closeAdminShell() {
        if (adminShell != null) {
            adminShell.close();
            adminShell = null;
        }
    }

    private void requireRunning(String when) {
        Objects.requireNonNull(process, () -> name + " was never started");
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with code " + process.exitCode() + " " + when
                    + ". See its process output " + process.outputFile() + " and " + karafLog());
        }
    }

    private String describeNamespace() {
        return commandPrefix.isEmpty() ? "the test's network namespace" : "'" + String.join(" ", commandPrefix) + "'";
    }

    private static String abbreviate(String text) {
        String singleLine = text.replaceAll("\\s+", " ").trim();
        return singleLine.length() <= MAX_BODY_IN_MESSAGE
                ? singleLine
                : singleLine.substring(0, MAX_BODY_IN_MESSAGE) + "... (" + singleLine.length() + " characters)";
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a distribution to start", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + home + ", SSH " + host + ":" + sshPort + ", HTTP " + host + ":" + httpPort + ")";
    }
}
