package io.weft.systemtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three network namespaces in the role of separate hosts: a gateway and two edge sites, A and B.
 * Each edge has one link, to the gateway, and a default route through it. The gateway namespace
 * has IPv4 forwarding off, so an edge reaches the gateway's addresses and nothing behind them.
 *
 * <pre>
 *   root namespace (manager, test JVM): bridge weft-ID-br, host address .1 of the management /29
 *        |  ports weft-ID-mgw, weft-ID-ma, weft-ID-mb, isolated from each other
 *   ns weft-ID-gw  mgmt0 .2   lo 192.168.0.1/32 (mesh address)
 *                  link-a 192.168.1.1/30 ---- link0 192.168.1.2/30  ns weft-ID-a, mgmt0 .3
 *                  link-b 192.168.2.1/30 ---- link0 192.168.2.2/30  ns weft-ID-b, mgmt0 .4
 * </pre>
 *
 * <p>The management bridge lets each namespace reach the host, where the manager listens on the
 * host address, and lets the test reach each node's SSH and HTTP ports. Its ports are isolated
 * from each other and IPv4 forwarding is off on the bridge, so no namespace reaches another
 * through it. The management subnet is a random /29 in 10.0.0.0/8 that no route of the host
 * covers or contains, apart from the default route. Nothing is added to the host's own
 * interfaces.
 *
 * <p>ID is the test JVM's process id in hexadecimal, so {@link #create()} can tell leftovers of
 * a crashed run, whose JVM is gone, from the namespaces of a run in another live JVM.
 */
public final class SeparateHostsNetwork implements AutoCloseable {

    /** Address on the gateway's loopback interface that both edges reach over their own link. */
    public static final String GATEWAY_MESH_ADDRESS = "192.168.0.1";
    public static final String GATEWAY_LINK_A_ADDRESS = "192.168.1.1";
    public static final String EDGE_A_LINK_ADDRESS = "192.168.1.2";
    public static final String GATEWAY_LINK_B_ADDRESS = "192.168.2.1";
    public static final String EDGE_B_LINK_ADDRESS = "192.168.2.2";

    private static final Logger LOG = LoggerFactory.getLogger(SeparateHostsNetwork.class);

    private static final String PREFIX = "weft-";
    private static final Pattern NAMESPACE_NAME = Pattern.compile("weft-([0-9a-f]{1,6})-(gw|a|b|probe)");
    private static final Pattern HOST_LINK_NAME = Pattern.compile("weft-([0-9a-f]{1,6})-(br|mgw|ma|mb)");
    private static final String MANAGEMENT_INTERFACE = "mgmt0";
    private static final int SUBNET_ATTEMPTS = 50;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final IpCommand ip;
    private final String id;
    private final String hostAddress;
    private final Site gateway;
    private final Site edgeA;
    private final Site edgeB;
    private boolean closed;

    private SeparateHostsNetwork(IpCommand ip, String id, int[] subnet) {
        this.ip = ip;
        this.id = id;
        this.hostAddress = address(subnet, 1);
        this.gateway = new Site(PREFIX + id + "-gw", hostLink("mgw"), address(subnet, 2));
        this.edgeA = new Site(PREFIX + id + "-a", hostLink("ma"), address(subnet, 3));
        this.edgeB = new Site(PREFIX + id + "-b", hostLink("mb"), address(subnet, 4));
    }

    /**
     * Returns why this machine cannot build the network, or empty when it can: the test does not
     * run as root, {@code ip} is missing, or {@code ip netns add} fails, as it does in a container
     * without CAP_SYS_ADMIN.
     */
    public static Optional<String> unsupportedReason() {
        long uid = effectiveUid();
        if (uid != 0) {
            return Optional.of("the test JVM runs as uid " + uid + ", and creating network namespaces needs root");
        }
        Optional<IpCommand> ip = IpCommand.find();
        if (ip.isEmpty()) {
            return Optional.of("the ip command is missing; install the iproute2 package");
        }

        String probe = PREFIX + ownId() + "-probe";
        IpCommand.Result added = ip.get().tryRun("netns", "add", probe);
        if (added.exitCode() != 0) {
            return Optional.of("network namespaces are not permitted here: " + added.describe());
        }
        ip.get().run("netns", "delete", probe);
        return Optional.empty();
    }

    /**
     * Removes leftovers of crashed runs, then creates the namespaces, links, addresses and routes.
     *
     * @throws IllegalStateException when a step fails, after removing whatever was created
     */
    public static SeparateHostsNetwork create() {
        IpCommand ip = IpCommand.locate();
        removeLeftovers(ip);

        SeparateHostsNetwork network = new SeparateHostsNetwork(ip, ownId(), chooseManagementSubnet(ip));
        try {
            network.build();
        } catch (RuntimeException e) {
            try {
                network.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.info("Created the namespaces {}, {} and {} with the management bridge {} at {}", network.gateway.namespace,
                network.edgeA.namespace, network.edgeB.namespace, network.bridge(), network.hostAddress);
        return network;
    }

    /** Returns the bridge's address in the root namespace, where the manager listens for the nodes. */
    public String hostAddress() {
        return hostAddress;
    }

    public Site gateway() {
        return gateway;
    }

    public Site edgeA() {
        return edgeA;
    }

    public Site edgeB() {
        return edgeB;
    }

    public IpCommand ip() {
        return ip;
    }

    /** Reads {@code net.ipv4.ip_forward} inside the namespace: true when the namespace routes between its links. */
    public boolean ipv4Forwarding(Site site) {
        IpCommand.Result result = ip.tryRunIn(site.namespace(), "sysctl", "-n", "net.ipv4.ip_forward");
        if (result.exitCode() != 0) {
            throw new IllegalStateException("Reading net.ipv4.ip_forward in " + site.namespace() + " failed: "
                    + result.describe());
        }
        return !result.output().strip().equals("0");
    }

    /**
     * Ends the processes still running in the namespaces, then deletes the namespaces, the
     * bridge and its ports. Every step runs even when an earlier one fails.
     *
     * @throws IllegalStateException when a step failed, with the other failures suppressed
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (Site site : List.of(gateway, edgeA, edgeB)) {
            collect(failures, () -> endProcesses(ip, site.namespace()));
            collect(failures, () -> deleteLinkIfPresent(ip, site.hostLink()));
            collect(failures, () -> deleteNamespaceIfPresent(ip, site.namespace()));
        }
        collect(failures, () -> deleteLinkIfPresent(ip, bridge()));
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("Removing the namespaces of run " + id
                    + " failed; check 'ip netns list' and 'ip link' for names starting with " + PREFIX + id + "-",
                    failures.get(0));
            failures.subList(1, failures.size()).forEach(failure::addSuppressed);
            throw failure;
        }
        LOG.info("Removed the namespaces and the management bridge of run {}", id);
    }

    private void build() {
        for (Site site : List.of(gateway, edgeA, edgeB)) {
            ip.run("netns", "add", site.namespace());
            ip.run("-n", site.namespace(), "link", "set", "lo", "up");
        }
        buildManagementBridge();
        for (Site site : List.of(gateway, edgeA, edgeB)) {
            attachToBridge(site);
        }

        ip.run("-n", gateway.namespace(), "address", "add", GATEWAY_MESH_ADDRESS + "/32", "dev", "lo");
        link(edgeA, "link-a", GATEWAY_LINK_A_ADDRESS, EDGE_A_LINK_ADDRESS);
        link(edgeB, "link-b", GATEWAY_LINK_B_ADDRESS, EDGE_B_LINK_ADDRESS);

        // Set explicitly, because a new namespace may inherit the host's IPv4 settings (net.core.devconf_inherit_init_net).
        IpCommand.Result forwarding = ip.tryRunIn(gateway.namespace(), "sysctl", "-w", "net.ipv4.ip_forward=0");
        if (forwarding.exitCode() != 0) {
            throw new IllegalStateException("Turning IPv4 forwarding off in " + gateway.namespace() + " failed: "
                    + forwarding.describe() + ". sysctl comes with the procps package");
        }
    }

    private void buildManagementBridge() {
        ip.run("link", "add", bridge(), "type", "bridge");
        ip.run("address", "add", hostAddress + "/29", "dev", bridge());
        writeSysctl(Path.of("/proc/sys/net/ipv4/conf", bridge(), "forwarding"), "0");
        ip.run("link", "set", bridge(), "up");
    }

    /** Connects the namespace to the bridge through a veth pair whose ports cannot reach each other. */
    private void attachToBridge(Site site) {
        ip.run("link", "add", site.hostLink(), "type", "veth", "peer", "name", MANAGEMENT_INTERFACE, "netns",
                site.namespace());
        ip.run("link", "set", site.hostLink(), "master", bridge());
        ip.run("link", "set", "dev", site.hostLink(), "type", "bridge_slave", "isolated", "on");
        ip.run("link", "set", site.hostLink(), "up");
        ip.run("-n", site.namespace(), "address", "add", site.managementAddress() + "/29", "dev",
                MANAGEMENT_INTERFACE);
        ip.run("-n", site.namespace(), "link", "set", MANAGEMENT_INTERFACE, "up");
    }

    /** Creates the veth pair between the gateway and the edge, both ends inside their namespaces. */
    private void link(Site edge, String gatewaySide, String gatewayAddress, String edgeAddress) {
        ip.run("link", "add", gatewaySide, "netns", gateway.namespace(), "type", "veth", "peer", "name", "link0",
                "netns", edge.namespace());
        ip.run("-n", gateway.namespace(), "address", "add", gatewayAddress + "/30", "dev", gatewaySide);
        ip.run("-n", edge.namespace(), "address", "add", edgeAddress + "/30", "dev", "link0");
        ip.run("-n", gateway.namespace(), "link", "set", gatewaySide, "up");
        ip.run("-n", edge.namespace(), "link", "set", "link0", "up");
        ip.run("-n", edge.namespace(), "route", "add", "default", "via", gatewayAddress);
    }

    private String bridge() {
        return PREFIX + id + "-br";
    }

    private String hostLink(String suffix) {
        return PREFIX + id + "-" + suffix;
    }

    /**
     * Picks a random /29 in 10.0.0.0/8 that no route of the host covers or contains, apart from
     * the default route, so the bridge's subnet cannot take traffic away from a real network.
     */
    private static int[] chooseManagementSubnet(IpCommand ip) {
        Random random = new Random();
        for (int attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
            int[] subnet = {10, 16 + random.nextInt(224), random.nextInt(256), 8 * random.nextInt(32)};
            String prefix = address(subnet, 0) + "/29";
            if (onlyDefaultRoutes(ip.run("-4", "route", "show", "table", "all", "match", prefix))
                    && onlyDefaultRoutes(ip.run("-4", "route", "show", "table", "all", "root", prefix))) {
                return subnet;
            }
        }
        throw new IllegalStateException("No /29 in 10.0.0.0/8 without a route of this host after " + SUBNET_ATTEMPTS
                + " random attempts; see 'ip -4 route show table all'");
    }

    /** Returns true when every route line is a default route, such as {@code default via 192.0.2.1 dev eth0}. */
    static boolean onlyDefaultRoutes(String routes) {
        return routes.lines().map(String::strip).filter(line -> !line.isEmpty()).allMatch(line -> {
            String[] fields = line.split("\\s+");
            return fields[0].equals("default") || (fields.length > 1 && fields[1].equals("default"));
        });
    }

    private static String address(int[] subnet, int host) {
        return subnet[0] + "." + subnet[1] + "." + subnet[2] + "." + (subnet[3] + host);
    }

    /** Removes namespaces and links whose names carry the id of a JVM that no longer runs, or of this JVM. */
    private static void removeLeftovers(IpCommand ip) {
        for (String namespace : leftovers(ip.run("netns", "list").lines().map(line -> line.split("\\s+")[0]).toList(),
                NAMESPACE_NAME)) {
            LOG.info("Removing the namespace {}, left over by an earlier run of this test", namespace);
            endProcesses(ip, namespace);
            deleteNamespaceIfPresent(ip, namespace);
        }
        for (String link : leftovers(linkNames(ip.run("-o", "link", "show")), HOST_LINK_NAME)) {
            LOG.info("Removing the link {}, left over by an earlier run of this test", link);
            deleteLinkIfPresent(ip, link);
        }
    }

    private static List<String> leftovers(List<String> names, Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (String name : names) {
            Matcher matcher = pattern.matcher(name);
            if (!matcher.matches()) {
                continue;
            }
            long owner = Long.parseLong(matcher.group(1), 16);
            boolean ownerRuns = ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
            if (owner == ProcessHandle.current().pid() || !ownerRuns) {
                found.add(name);
            } else {
                LOG.info("Keeping {}, because its test JVM, pid {}, still runs", name, owner);
            }
        }
        return found;
    }

    /** Returns the interface names of {@code ip -o link show} lines such as {@code 7: weft-1a-ma@if2: <...>}. */
    static List<String> linkNames(String output) {
        List<String> names = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] fields = line.split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            String name = fields[1].endsWith(":") ? fields[1].substring(0, fields[1].length() - 1) : fields[1];
            int at = name.indexOf('@');
            names.add(at < 0 ? name : name.substring(0, at));
        }
        return names;
    }

    /**
     * Ends the processes in the namespace: SIGTERM, then SIGKILL for those still alive after 10 s.
     * Namespaces with these names belong to this test, so their processes are ones that a run of it started.
     */
    private static void endProcesses(IpCommand ip, String namespace) {
        IpCommand.Result pids = ip.tryRun("netns", "pids", namespace);
        if (pids.exitCode() != 0) {
            return;
        }
        List<ProcessHandle> processes = pids.output().lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(Long::parseLong).map(ProcessHandle::of).flatMap(Optional::stream).toList();
        if (processes.isEmpty()) {
            return;
        }
        LOG.warn("Ending processes {} that still run in the namespace {}", KarafProcess.pids(processes), namespace);
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Waiting for the exit of pid " + process.pid() + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static void deleteNamespaceIfPresent(IpCommand ip, String namespace) {
        boolean present = ip.run("netns", "list").lines().anyMatch(line -> line.split("\\s+")[0].equals(namespace));
        if (present) {
            ip.run("netns", "delete", namespace);
        }
    }

    /** Deletes the link. Deleting one end of a veth pair deletes both. */
    private static void deleteLinkIfPresent(IpCommand ip, String link) {
        if (ip.tryRun("link", "show", "dev", link).exitCode() == 0) {
            ip.run("link", "delete", "dev", link);
        }
    }

    private static void writeSysctl(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("Failed to write " + value + " to " + file, e);
        }
    }

    private static void collect(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static String ownId() {
        return Long.toHexString(ProcessHandle.current().pid());
    }

    /** Reads the effective user id from the second field of the Uid line of /proc/self/status. */
    private static long effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> Long.parseLong(line.split("\\s+")[2]))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("/proc/self/status has no Uid line"));
        } catch (IOException e) {
            throw new IllegalStateException("Failed to read /proc/self/status; the system tests need Linux", e);
        }
    }

    /**
     * One namespace and its place on the management network.
     *
     * @param namespace the namespace's name
     * @param hostLink the bridge port in the root namespace that leads to it
     * @param managementAddress its address on the management network, where the test reaches its SSH and HTTP
     *        ports
     */
    public record Site(String namespace, String hostLink, String managementAddress) {
    }
}
