package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.mesh.MeshSettings;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.Identity;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the heap of idle one-hop and relayed streams of three mesh nodes in this JVM (edge A
 * → gateway ← edge B, as in {@link MeshNodeTest}). It opens two equal batches of connections
 * through a connector of edge A and proves each with one echoed byte. Then it prints the growth
 * of the live heap from the first to the second batch, divided by the second batch's
 * connections, and the classes that grew most. The live heap comes from {@code GC.class_histogram}, which
 * runs a full GC first. The figure covers every node on the path together with the test's
 * client sockets and the echo server's connections. It also prints the median and the 90th
 * percentile of the time from connecting to the echoed byte, over the first batch, one
 * connection at a time.
 *
 * <p>It runs only when asked, because it takes about a minute and prints figures instead of
 * checking them: {@code mvn test -Dtest=StreamMemoryProbe -Dweft.streamMemoryProbe=300}, where
 * 300 is the connections per batch.
 */
@EnabledIfSystemProperty(named = "weft.streamMemoryProbe", matches = "\\d+")
class StreamMemoryProbe {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "probe.example";
    private static final String ALLOW_A = """
            {"rules": [{"id": "allow-echo", "domain": "probe.example",
              "source": "node:edge-a.probe.example", "destination": {"service": "echo"}, "action": "allow"}]}""";
    private static final long SETTLE_MILLIS = 3_000;
    private static final int TOP_CLASSES = 12;

    @TempDir
    Path caDirectory;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() {
        sockets.forEach(StreamMemoryProbe::closeQuietly);
        for (int i = resources.size() - 1; i >= 0; i--) {
            closeQuietly(resources.get(i));
        }
    }

    @Test
    void heapPerIdleStream() throws Exception {
        int batch = Integer.parseInt(System.getProperty("weft.streamMemoryProbe"));
        CertificateAuthority ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Probe");
        TcpReactor reactor = track(new TcpReactor("probe"));
        MeshNodeTest.EchoServer echo = track(new MeshNodeTest.EchoServer());
        ExposedService service = new ExposedService("echo", "127.0.0.1", echo.port());
        AppliedState state = new AppliedState(1, Set.of(), ALLOW_A);
        MeshNode gateway = start(issue(ca, "gw1"), Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0)), List.of(), state, reactor, service);
        GatewayAddress address = GatewayAddress.parse("gw1." + DOMAIN + "@127.0.0.1:"
                + gateway.listenerAddress().orElseThrow().getPort());
        MeshNode edgeB = start(issue(ca, "edge-b"), Optional.empty(), List.of(address), state, reactor, service);
        MeshNode edgeA = start(issue(ca, "edge-a"), Optional.empty(), List.of(address), state, reactor, null);
        while (edgeA.tunnels().isEmpty() || edgeB.tunnels().isEmpty() || gateway.tunnels().size() < 2) {
            Thread.sleep(20);
        }

        measure("one hop", connector(reactor, edgeA, "gw1", echo.port()), batch);
        sockets.forEach(StreamMemoryProbe::closeQuietly);
        sockets.clear();
        measure("relayed", connector(reactor, edgeA, "edge-b", echo.port()), batch);
    }

    private void measure(String path, Connector connector, int batch) throws Exception {
        long[] openNanos = openBatch(connector, batch);
        Arrays.sort(openNanos);
        System.out.printf("%s: open to first echoed byte p50 %d µs, p90 %d µs (%d connections)%n", path,
                openNanos[batch / 2] / 1_000, openNanos[batch * 9 / 10] / 1_000, batch);
        Map<String, long[]> first = histogram();
        openBatch(connector, batch);
        Map<String, long[]> second = histogram();

        long growth = second.get("Total")[1] - first.get("Total")[1];
        System.out.printf("%s: %d bytes of heap per idle stream (%d + %d streams)%n", path, growth / batch, batch,
                batch);
        second.entrySet().stream()
                .filter(entry -> !entry.getKey().equals("Total"))
                .map(entry -> Map.entry(entry.getKey(), entry.getValue()[1]
                        - first.getOrDefault(entry.getKey(), new long[2])[1]))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP_CLASSES)
                .forEach(entry -> System.out.printf("  %8d B per stream  %s%n", entry.getValue() / batch,
                        entry.getKey()));
        assertThat(sockets).as("open connections").hasSize(2 * batch);
    }

    /** Opens {@code count} connections and returns the time of each from connecting to its echoed byte. */
    private long[] openBatch(Connector connector, int count) throws Exception {
        long[] openNanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Socket socket = new Socket();
            socket.connect(connector.address(), 20_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(1);
            assertThat(socket.getInputStream().read()).as("echoed byte of connection %d", i).isEqualTo(1);
            openNanos[i] = System.nanoTime() - start;
            sockets.add(socket);
        }
        Thread.sleep(SETTLE_MILLIS);
        return openNanos;
    }

    /** Returns the live instances and bytes per class, after a full GC, with the sum under "Total". */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 3 && fields[0].equals("Total")) {
                classes.put("Total", new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            } else if (fields.length >= 4 && fields[0].endsWith(":")) {
                classes.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            }
        }
        return classes;
    }

    private Connector connector(TcpReactor reactor, MeshNode edge, String node, int port) throws IOException {
        Connector connector = track(new Connector(new Connector.Spec("echo-" + node,
                new InetSocketAddress("127.0.0.1", 0), "echo", node + "." + DOMAIN, port), reactor,
                () -> Optional.of(edge)));
        connector.start();
        return connector;
    }

    private MeshNode start(Identity identity, Optional<InetSocketAddress> listen, List<GatewayAddress> gateways,
            AppliedState state, TcpReactor reactor, ExposedService service) throws IOException {
        MeshNode node = track(new MeshNode(identity, new MeshNodeSettings(listen, gateways, MeshSettings.defaults(), false),
                state, reactor, name -> service, event -> { }, Clock.systemUTC(), RANDOM));
        node.start();
        return node;
    }

    private static Identity issue(CertificateAuthority ca, String node) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, "node-" + node));
        return new Identity("node-" + node, node + "." + DOMAIN, keys.getPrivate(), ca.chainFor(leaf),
                ca.rootCertificate());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("Closing " + resource + " failed: " + e);
        }
    }
}
