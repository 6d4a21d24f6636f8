package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.FreePorts;
import io.weft.systemtest.harness.ManagerApi;

/**
 * {@code ./weft quickstart --detach} as a new user runs it, on free ports and in a state folder
 * of its own: a manager, gateway gw1 and edges edge-a and edge-b, with the echo server that
 * the script starts behind edge-b's service and a client of this test on edge-a's connector.
 * The printed curl commands then call hello's greet over HTTPS and read the first event of
 * sensor-feed's stream. The tests then check a second run, the policy rule that allows the connector, the data path
 * without the manager, and {@code ./weft stop}.
 *
 * <p>The tests share the processes and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartIT {

    private static final String EDGE_A = "edge-a.site-a.quickstart.example";
    private static final String EDGE_B = "edge-b.site-b.quickstart.example";
    private static final String GATEWAY = "gw1.gw.quickstart.example";
    private static final String RULE_PATH = "/policies/rules/quickstart-echo";
    private static final String VERSION = System.getProperty("weft.expected.version", "0.1.0-SNAPSHOT");
    /** The OSGi version that bnd makes of the Maven version, which the example apps carry. */
    private static final String APP_VERSION = VERSION.replaceFirst("-", ".");
    /** Upper bound on one run of the launcher, which waits for the first echo through the mesh. */
    private static final Duration LAUNCHER_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(20);
    private static final int TRANSFER_BYTES = 1024 * 1024;
    private static final List<String> PORT_KEYS = List.of("MANAGER_SSH", "MANAGER_HTTP", "MANAGER_HTTPS",
            "MANAGER_CONTROL", "GW1_SSH", "GW1_HTTP", "GW1_EDGE_API", "EDGE_A_SSH", "EDGE_A_HTTP", "EDGE_A_EDGE_API",
            "EDGE_B_SSH", "EDGE_B_HTTP", "EDGE_B_EDGE_API", "MESH", "CONNECTOR", "ECHO");

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Path stateDir;
    private Path launcher;
    private ManagerApi api;
    private String firstRunOutput;

    @BeforeAll
    void runQuickstart() throws IOException {
        launcher = Path.of(System.getProperty("weft.launcher", "../weft")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("weft.systemtest.workDir", "target/system-test-work"));
        Files.createDirectories(work);
        stateDir = Files.createTempDirectory(work.toAbsolutePath(), "quickstart-");
        PORT_KEYS.forEach(key -> ports.put(key, FreePorts.allocate()));

        LauncherRun run = launch("quickstart", "--detach");

        firstRunOutput = run.output();
        assertThat(run.exitStatus()).as("exit status of ./weft quickstart --detach; output:%n%s", run.output())
                .isZero();
        api = ManagerApi.of(stateDir.resolve("manager/weft-manager-" + VERSION), ports.get("MANAGER_HTTPS"));
    }

    @AfterAll
    void stopQuickstart() throws IOException {
        if (stateDir != null) {
            LauncherRun stop = launch("stop");
            System.out.println("QuickstartIT: ./weft stop after the tests:\n" + stop.output());
        }
    }

    @Test
    @Order(1)
    void firstRunShowsStepsAndNextCommands() {
        assertThat(firstRunOutput).contains("[1/16]", "[16/16]");
        assertThat(firstRunOutput).contains("https://127.0.0.1:" + ports.get("MANAGER_HTTPS") + "/api/v1/nodes");
        assertThat(firstRunOutput).contains("/dev/tcp/127.0.0.1/" + ports.get("CONNECTOR"));
        assertThat(firstRunOutput).contains("ssh -p " + ports.get("MANAGER_SSH") + " admin@127.0.0.1");
        assertThat(firstRunOutput).contains("ssh -p " + ports.get("EDGE_A_SSH") + " admin@127.0.0.1");
        assertThat(firstRunOutput).contains(stateDir.resolve("manager/weft-manager-" + VERSION
                + "/etc/weft-api-admin.password").toString());
        assertThat(printedCommand("/hello/ops/greet")).contains("--cacert", ":" + ports.get("EDGE_A_EDGE_API") + "/");
        assertThat(printedCommand("/sensor-feed/ops/readings")).startsWith("curl -N ")
                .contains(":" + ports.get("EDGE_B_EDGE_API") + "/");
    }

    @Test
    @Order(2)
    void gatewayRunsThroughputProfile() throws IOException {
        Map<String, List<String>> expected = Map.of("gw1", List.of("-XX:+UseParallelGC", "-Xmx256m"),
                "edge-a", List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (Map.Entry<String, List<String>> node : expected.entrySet()) {
            Path home = stateDir.resolve(node.getKey() + "/weft-node-" + VERSION);
            String pid = Files.readString(home.resolve("karaf.pid"), StandardCharsets.US_ASCII).strip();
            List<String> arguments = List.of(Files.readString(Path.of("/proc", pid, "cmdline"),
                    StandardCharsets.UTF_8).split("\0"));
            assertThat(arguments).as("JVM arguments of %s (pid %s)", node.getKey(), pid)
                    .containsAll(node.getValue());
        }
    }

    @Test
    @Order(2)
    void nodesAreEnrolledWithInheritedGateway() {
        for (String node : List.of(GATEWAY, EDGE_A, EDGE_B)) {
            JsonNode state = api.expect(200, api.get("/nodes/" + node));
            assertThat(state.path("state").asText()).as("state of %s", node).isEqualTo("enrolled");
            assertThat(state.path("online").asBoolean()).as("%s online", node).isTrue();
        }
        for (String edge : List.of(EDGE_A, EDGE_B)) {
            JsonNode effective = api.expect(200, api.get("/nodes/" + edge + "/effective-profile"));
            assertThat(effective.toString()).as("effective profile of %s", edge)
                    .contains(GATEWAY + "@127.0.0.1:" + ports.get("MESH")).contains("quickstart.example");
        }
    }

    @Test
    @Order(3)
    void echoServerAnswersThroughConnector() throws IOException {
        byte[] payload = new byte[TRANSFER_BYTES];
        new Random(8).nextBytes(payload);

        byte[] returned = echo(payload);

        assertThat(returned).as("bytes that came back through edge-a, gw1, edge-b and the echo server")
                .isEqualTo(payload);
        assertThat(Files.readString(stateDir.resolve("echo/echo.log"))).as("echo server log")
                .contains("echoed " + TRANSFER_BYTES + " bytes");
    }

    @Test
    @Order(4)
    void printedGreetCommandAnswers() throws IOException, InterruptedException {
        Path token = stateDir.resolve("hello-client.token");
        assertThat(Files.getPosixFilePermissions(token)).as("permissions of %s", token)
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        String answer = runPrinted("/hello/ops/greet");

        assertThat(answer).as("output of the printed greet command")
                .contains("\"greeting\":\"Hello, Ada!\"", "\"caller\":\"client:hello-client\"");
    }

    @Test
    @Order(5)
    void printedStreamCommandDeliversReading() throws IOException, InterruptedException {
        String data = assertStreamDeliversReading(printedCommand("/sensor-feed/ops/readings"),
                "sensor-feed stream from edge-b");

        assertThat(data).as("first data line of the stream").contains("\"sequence\":1");
    }

    @Test
    @Order(5)
    void printedForwardedStreamDeliversReading() throws IOException, InterruptedException {
        String forwarded = firstRunOutput.lines().map(String::strip)
                .filter(line -> line.startsWith("curl ") && line.contains("/sensor-feed/ops/readings")
                        && line.contains(":" + ports.get("EDGE_A_EDGE_API") + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("No printed readings command through edge-a in:\n"
                        + firstRunOutput));

        assertStreamDeliversReading(forwarded, "sensor-feed stream that edge-a forwards to edge-b");
    }

    /** Runs a printed stream command until its first data line, checks the reading and returns that line. */
    private String assertStreamDeliversReading(String command, String description)
            throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("bash", "-c", managerVariable() + "\nexec " + command)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            List<String> lines = readUntilData(curl.getInputStream());

            assertThat(lines).as("first lines of the " + description).contains("event: reading");
            String data = lines.get(lines.size() - 1);
            assertThat(data).as("first data line of the " + description).contains("\"sensor\":\"temperature-1\"");
            return data;
        } finally {
            curl.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(6)
    void secondRunResumes() throws IOException {
        LauncherRun second = launch("quickstart", "--detach");

        assertThat(second.exitStatus()).as("exit status of a second run; output:%n%s", second.output()).isZero();
        assertThat(second.output()).contains("manager is already running", "node " + EDGE_A + " exists",
                EDGE_A + " is enrolled", "rule quickstart-echo exists", "io.weft.examples.hello " + APP_VERSION
                        + " was uploaded before", "deployment quickstart-hello exists",
                "rule quickstart-hello-greet exists");
        assertThat(api.expect(200, api.get("/nodes")).path("items")).as("node records after two runs").hasSize(3);
    }

    @Test
    @Order(7)
    void deletedRuleCutsConnector() throws IOException {
        long appliedA = applied(EDGE_A);
        long appliedB = applied(EDGE_B);
        HttpResponse<String> rule = api.get(RULE_PATH);
        api.expect(200, rule);

        api.expect(204, api.delete(RULE_PATH, rule.headers().firstValue("ETag").orElseThrow()));
        awaitTrue("edge-a applies the state without the rule", () -> appliedAfter(EDGE_A, appliedA));
        awaitTrue("edge-b applies the state without the rule", () -> appliedAfter(EDGE_B, appliedB));

        assertThat(deniedOutcome()).as("a connection through the connector after the rule was deleted")
                .isIn("refused", "closed", "reset");
        restoreRule(rule.body());
    }

    @Test
    @Order(8)
    void dataFlowsWithManagerStopped() throws IOException, InterruptedException {
        Path managerHome = stateDir.resolve("manager/weft-manager-" + VERSION);
        Process stop = new ProcessBuilder(managerHome.resolve("bin/stop").toString()).inheritIO().start();
        assertThat(stop.waitFor(60, TimeUnit.SECONDS)).as("bin/stop of the manager finished").isTrue();
        awaitTrue("the manager's HTTPS port is closed", () -> !listens(ports.get("MANAGER_HTTPS")));
        byte[] payload = "still flowing without the manager".getBytes(StandardCharsets.US_ASCII);

        byte[] returned = echo(payload);

        assertThat(new String(returned, StandardCharsets.US_ASCII)).isEqualTo("still flowing without the manager");
        assertThat(runPrinted("/hello/ops/greet")).as("greet with the manager stopped").contains("Hello, Ada!");
    }

    @Test
    @Order(9)
    void stopEndsEveryProcess() throws IOException {
        LauncherRun stop = launch("stop");
        LauncherRun status = launch("status");

        assertThat(stop.exitStatus()).as("exit status of ./weft stop; output:%n%s", stop.output()).isZero();
        assertThat(status.output().lines().toList()).as("./weft status after ./weft stop").containsExactly(
                "manager: not running", "gw1: not running", "edge-a: not running", "edge-b: not running",
                "echo server: not running");
        for (String key : List.of("MANAGER_SSH", "GW1_SSH", "EDGE_A_SSH", "EDGE_B_SSH", "EDGE_A_EDGE_API",
                "EDGE_B_EDGE_API", "CONNECTOR", "ECHO")) {
            assertThat(listens(ports.get(key))).as("port %s (%d) after ./weft stop", key, ports.get(key)).isFalse();
        }
    }

    /** Returns the command line that the first run printed for the given path, such as the greet curl. */
    private String printedCommand(String path) {
        return firstRunOutput.lines().map(String::strip).filter(line -> line.startsWith("curl ") && line.contains(path))
                .findFirst().orElseThrow(() -> new AssertionError("No printed curl command for " + path + " in:\n"
                        + firstRunOutput));
    }

    /** Returns the printed assignment of M, the manager's folder, which the printed commands use. */
    private String managerVariable() {
        return firstRunOutput.lines().map(String::strip).filter(line -> line.startsWith("M=")).findFirst()
                .orElseThrow(() -> new AssertionError("No printed M= line in:\n" + firstRunOutput));
    }

    /** Runs a printed command as a user pastes it, after the M= line, and returns its standard output. */
    private String runPrinted(String path) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", managerVariable() + "\n" + printedCommand(path))
                .redirectErrorStream(true).start();
        if (!process.waitFor(SOCKET_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The printed command for " + path + " ran longer than "
                    + SOCKET_TIMEOUT.toSeconds() + " s");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Reads lines of a server-sent event stream up to the first data line, within SOCKET_TIMEOUT. */
    private static List<String> readUntilData(InputStream stream) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException e) {
                // The stream ended: the test has its lines or times out below.
            }
        }, "quickstart-it-stream");
        reader.setDaemon(true);
        reader.start();
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + SOCKET_TIMEOUT.toNanos();
        while (read.isEmpty() || !read.get(read.size() - 1).startsWith("data: ")) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("No data line within " + SOCKET_TIMEOUT.toSeconds() + " s; lines: " + read);
            }
            read.add(line);
        }
        return read;
    }

    /** Re-creates the deleted rule, so that the data path works again for the next test. */
    private void restoreRule(String ruleJson) {
        long appliedA = applied(EDGE_A);
        api.expect(201, api.post("/policies/rules", ruleJson));
        awaitTrue("edge-a applies the state with the rule again", () -> appliedAfter(EDGE_A, appliedA));
        awaitTrue("an echo through the connector with the rule again", () -> echoSucceeds());
    }

    private long applied(String node) {
        return api.expect(200, api.get("/nodes/" + node)).path("appliedRevision").asLong();
    }

    private boolean appliedAfter(String node, long revision) {
        JsonNode state = api.expect(200, api.get("/nodes/" + node));
        long applied = state.path("appliedRevision").asLong();
        return state.path("online").asBoolean() && applied > revision
                && applied == state.path("desiredRevision").asLong();
    }

    private boolean echoSucceeds() {
        byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
        try {
            return new String(echo(probe), StandardCharsets.US_ASCII).equals("probe");
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends the payload through the connector, half-closes, and returns everything that comes back. */
    private byte[] echo(byte[] payload) throws IOException {
        try (Socket socket = connect()) {
            Thread writer = new Thread(() -> write(socket, payload), "quickstart-it-writer");
            writer.start();
            byte[] returned = socket.getInputStream().readAllBytes();
            joinQuietly(writer);
            return returned;
        }
    }

    private static void write(Socket socket, byte[] payload) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(payload);
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            // The reader sees the failure as a short or reset stream.
        }
    }

    /** Opens a connection through the connector and returns how it ended: refused, closed, reset, or bytes returned. */
    private String deniedOutcome() throws IOException {
        Socket socket;
        try {
            socket = connect();
        } catch (ConnectException e) {
            return "refused";
        } catch (SocketException e) {
            return "reset";
        }
        try (socket) {
            socket.getOutputStream().write("denied?".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] returned = in.readAllBytes();
            return returned.length == 0 ? "closed" : returned.length + " bytes returned";
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The denied connection stayed open for " + SOCKET_TIMEOUT.toSeconds() + " s", e);
        } catch (SocketException e) {
            return "reset";
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get("CONNECTOR")), 5_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the launcher with this test's state folder, archives and ports, and returns its exit status and output. */
    private LauncherRun launch(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("WEFT_QUICKSTART_DIR", stateDir.toString());
        environment.put("WEFT_MANAGER_ARCHIVE", Distribution.MANAGER.archive().toString());
        environment.put("WEFT_NODE_ARCHIVE", Distribution.NODE.archive().toString());
        ports.forEach((key, port) -> environment.put("WEFT_QUICKSTART_PORT_" + key, Integer.toString(port)));
        Path log = stateDir.resolve("launcher-" + arguments[0] + "-" + System.nanoTime() + ".log");
        builder.redirectOutput(log.toFile());

        Process process = builder.start();
        try {
            if (!process.waitFor(LAUNCHER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroy();
                throw new AssertionError("./weft " + String.join(" ", arguments) + " did not finish within "
                        + LAUNCHER_TIMEOUT.toSeconds() + " s; output:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new AssertionError("Interrupted while ./weft " + String.join(" ", arguments) + " ran", e);
        }
        return new LauncherRun(process.exitValue(), Files.readString(log));
    }

    private record LauncherRun(int exitStatus, String output) {
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(SOCKET_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + description, e);
            }
        }
        throw new AssertionError("Timed out after " + STATE_TIMEOUT.toSeconds() + " s waiting for " + description);
    }
}
