package io.weft.manager.control.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.store.Node;

/**
 * Measures the manager's side of a root-domain change for a fleet of nodes: reading the
 * profiles, compiling, storing the new revisions and signing every state, without sessions.
 * Run with {@code mvn -o test -Dtest=RootChangeBenchmark -Dweft.bench=true
 * -Dweft.bench.nodes=10000}; it prints its figures and asserts nothing.
 */
@EnabledIfSystemProperty(named = "weft.bench", matches = "true")
class RootChangeBenchmark {

    private static final String PID = "io.weft.bench";
    private static final int DOMAINS = 100;

    @TempDir
    Path folder;

    @Test
    void rootChangeRecompilesFleet() throws Exception {
        int count = Integer.getInteger("weft.bench.nodes", 10_000);
        try (TestStore store = new TestStore(folder)) {
            TestManagerPki pki = new TestManagerPki(folder, store.fleet());
            Fleet fleet = new Fleet(store.fleet());
            List<Node> nodes = createFleet(fleet, count);
            DesiredStateCompiler compiler = new DesiredStateCompiler(pki, store.control(), store.transactions(),
                    new EffectiveConfigurations(store.fleet()), PolicySource.NONE, TestManagerPki.CLOCK);
            StatePublisher publisher = new StatePublisher(pki, new NodeSessions(), store.control());

            measure("first compilation", count, () -> ControlPlane.publishAll(publisher, compiler.compile(nodes)));
            measure("unchanged recompilation", count, () -> ControlPlane.publishAll(publisher, compiler.compile(nodes)));
            fleet.setDomainValue("example", PID, "interval", 2);
            measure("root change", count, () -> ControlPlane.publishAll(publisher, compiler.compile(nodes)));
        }
    }

    private static List<Node> createFleet(Fleet fleet, int count) {
        fleet.domain("example");
        fleet.domain("bench.example");
        fleet.setDomainValue("example", PID, "interval", 1);
        for (int d = 0; d < DOMAINS; d++) {
            fleet.domain("d" + d + ".bench.example");
            fleet.setDomainValue("d" + d + ".bench.example", PID, "site", d);
        }
        List<Node> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nodes.add(fleet.node("n" + i, "d" + (i % DOMAINS) + ".bench.example"));
        }
        return nodes;
    }

    private static void measure(String name, int count, Runnable work) {
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        work.run();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
        System.out.printf("%s: %d nodes in %d ms (process CPU %d ms, %.1f nodes/s)%n", name, count,
                elapsed.toMillis(), cpu.toMillis(), count * 1000.0 / Math.max(1, elapsed.toMillis()));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
