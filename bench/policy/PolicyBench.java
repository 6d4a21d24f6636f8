import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.Action;
import io.weft.policy.AppOperation;
import io.weft.policy.ClientName;
import io.weft.policy.ClientSubject;
import io.weft.policy.CompiledPolicy;
import io.weft.policy.Decision;
import io.weft.policy.Destination;
import io.weft.policy.Endpoint;
import io.weft.policy.Flow;
import io.weft.policy.NodeSubject;
import io.weft.policy.Policy;
import io.weft.policy.PolicyDocument;
import io.weft.policy.PolicyRule;
import io.weft.policy.PortRange;
import io.weft.policy.Protocol;
import io.weft.policy.Selector;
import io.weft.policy.ServiceName;
import io.weft.policy.ServiceTarget;
import io.weft.policy.Subject;
import io.weft.policy.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Policy engine benchmark. It builds a 4-level domain tree (root, regions, sites, areas),
 * nodes spread evenly over the areas and rules spread over all levels. Then it measures, on one
 * thread, repeated decisions per second against a linear scan of every rule as the anchor, the
 * full per-node compile, and the parse of the policy as a JSON document.
 *
 * <p>Arguments: nodes, rules, flows, seconds per measurement round, seed. Writes one
 * tab-separated figure per line to standard output.
 */
public class PolicyBench {

    static final int REGIONS = 10;
    static final int SITES = 10;
    static final int AREAS = 10;
    static final int ROUNDS = 5;
    static final int TAGS = 20;
    static final int CLUSTERS = 100;
    static final int CLIENTS = 20;
    static final int SERVICES = 20;
    static final int OPERATIONS = 5;

    final Random random;
    final List<List<DomainName>> levels = new ArrayList<>();
    final List<NodeSubject> nodes = new ArrayList<>();
    final List<Endpoint> endpoints = new ArrayList<>();

    PolicyBench(long seed) {
        random = new Random(seed);
        buildTree();
        for (int i = 0; i < SERVICES; i++) {
            endpoints.add(ServiceName.of("svc" + i));
        }
        for (int i = 0; i < OPERATIONS; i++) {
            endpoints.add(AppOperation.parse("io.acme.app" + i + "/op"));
        }
    }

    public static void main(String[] args) {
        int nodeCount = Integer.parseInt(args[0]);
        int ruleCount = Integer.parseInt(args[1]);
        int flowCount = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long seed = Long.parseLong(args[4]);

        PolicyBench bench = new PolicyBench(seed);
        bench.buildNodes(nodeCount);
        List<PolicyRule> rules = bench.buildRules(ruleCount);
        List<Flow> flows = bench.buildFlows(flowCount);
        Policy policy = Policy.of(rules);

        print("setup.nodes", nodeCount);
        print("setup.rules", ruleCount);
        print("setup.domains", bench.levels.stream().mapToInt(List::size).sum());
        print("setup.distinct_flows", flowCount);
        bench.measureDecisions(policy, flows, seconds);
        bench.measureLinearScan(rules, flows, seconds);
        bench.measureCompile(policy);
        bench.measureParse(rules);
    }

    private void buildTree() {
        DomainName root = DomainName.of("acme.example");
        levels.add(List.of(root));
        levels.add(children(levels.get(0), "r", REGIONS));
        levels.add(children(levels.get(1), "s", SITES));
        levels.add(children(levels.get(2), "a", AREAS));
    }

    private static List<DomainName> children(List<DomainName> parents, String prefix, int count) {
        List<DomainName> children = new ArrayList<>();
        for (DomainName parent : parents) {
            for (int i = 0; i < count; i++) {
                children.add(DomainName.of(prefix + i + "." + parent));
            }
        }
        return children;
    }

    private void buildNodes(int count) {
        List<DomainName> areas = levels.get(3);
        for (int i = 0; i < count; i++) {
            DomainName area = areas.get(i % areas.size());
            Set<Tag> tags = new HashSet<>();
            for (int t = 0; t < 3; t++) {
                tags.add(Tag.of("t" + random.nextInt(TAGS)));
            }
            NodeRole role = i % 10 == 0 ? NodeRole.GATEWAY : NodeRole.EDGE;
            Optional<ClusterName> cluster = Optional.of(ClusterName.of("c" + random.nextInt(CLUSTERS)));
            nodes.add(new NodeSubject(NodeFullName.parse("n" + i + "." + area), role, tags, cluster));
        }
    }

    /** 1% of the rules at the root, 9% at regions, 30% at sites, 60% at areas; 5% of the upper ones guardrails. */
    private List<PolicyRule> buildRules(int count) {
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int level = levelOf((double) i / count);
            DomainName domain = pick(levels.get(level));
            boolean guardrail = level < 2 && random.nextInt(20) == 0;
            Action action = random.nextInt(3) == 0 ? Action.DENY : Action.ALLOW;
            Endpoint endpoint = pick(endpoints);
            Optional<Selector> destinationNodes = random.nextBoolean() ? Optional.of(nodeSelector(domain)) : Optional.empty();
            PolicyRule rule = new PolicyRule("R" + i, domain, sourceSelector(domain),
                    new Destination(endpoint, destinationNodes), action, Optional.empty(), List.of(), "rule " + i, guardrail);
            if (endpoint instanceof ServiceName && random.nextInt(4) == 0) {
                rule = rule.withPorts(Optional.of(Protocol.TCP), List.of(new PortRange(8000, 8099)));
            }
            rules.add(rule);
        }
        return rules;
    }

    private static int levelOf(double share) {
        if (share < 0.01) {
            return 0;
        }
        if (share < 0.10) {
            return 1;
        }
        return share < 0.40 ? 2 : 3;
    }

    private Selector sourceSelector(DomainName domain) {
        return random.nextInt(10) == 0 ? new Selector.ByClient(ClientName.of("client" + random.nextInt(CLIENTS)))
                : nodeSelector(domain);
    }

    private Selector nodeSelector(DomainName domain) {
        return switch (random.nextInt(6)) {
            case 0 -> new Selector.ByTag(Tag.of("t" + random.nextInt(TAGS)));
            case 1 -> new Selector.ByCluster(ClusterName.of("c" + random.nextInt(CLUSTERS)));
            case 2 -> new Selector.ByRole(random.nextBoolean() ? NodeRole.GATEWAY : NodeRole.EDGE);
            case 3 -> new Selector.ByDomain(domainWithin(domain));
            case 4 -> new Selector.ByNode(nodeWithin(domain).name());
            default -> new Selector.AllOf(List.of(new Selector.ByTag(Tag.of("t" + random.nextInt(TAGS))),
                    new Selector.ByDomain(domainWithin(domain))));
        };
    }

    private DomainName domainWithin(DomainName domain) {
        return nodeWithin(domain).domain();
    }

    private NodeSubject nodeWithin(DomainName domain) {
        while (true) {
            NodeSubject node = pick(nodes);
            if (node.domain().isWithin(domain)) {
                return node;
            }
        }
    }

    /** Flows between nodes of one site in half the cases, so that deep rules take part. */
    private List<Flow> buildFlows(int count) {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NodeSubject destination = pick(nodes);
            Flow flow = new Flow(source(destination), destination, target());
            flows.add(flow);
        }
        return flows;
    }

    private Subject source(NodeSubject destination) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return ClientSubject.of("client" + random.nextInt(CLIENTS));
        }
        if (kind < 6) {
            return nodeWithin(destination.domain().parent().orElseThrow());
        }
        return pick(nodes);
    }

    private Target target() {
        Endpoint endpoint = pick(endpoints);
        if (endpoint instanceof ServiceName service) {
            return new ServiceTarget(service, Protocol.TCP, random.nextBoolean() ? 8000 + random.nextInt(200) : 443);
        }
        return (AppOperation) endpoint;
    }

    private void measureDecisions(Policy policy, List<Flow> flowList, double seconds) {
        Flow[] flows = flowList.toArray(Flow[]::new);
        long allowed = 0;
        for (Flow flow : flows) {
            allowed += policy.decide(flow).isAllowed() ? 1 : 0;
        }
        print("decisions.allowed_share", String.format("%.3f", (double) allowed / flows.length));
        print("decisions.rule_attributed_share", String.format("%.3f",
                Arrays.stream(flows).filter(f -> policy.decide(f).rule().isPresent()).count() / (double) flows.length));

        runRounds("decisions.indexed", seconds, () -> decideAll(policy, flows));
    }

    private void measureLinearScan(List<PolicyRule> rules, List<Flow> flowList, double seconds) {
        PolicyRule[] all = rules.toArray(PolicyRule[]::new);
        Flow[] flows = flowList.subList(0, Math.min(flowList.size(), 200)).toArray(Flow[]::new);
        runRounds("decisions.linear_scan_anchor", seconds, () -> {
            long matches = 0;
            for (Flow flow : flows) {
                for (PolicyRule rule : all) {
                    if (rule.appliesTo(flow)) {
                        matches++;
                    }
                }
            }
            blackhole += matches;
            return flows.length;
        });
    }

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static long blackhole;

    private static int decideAll(Policy policy, Flow[] flows) {
        int allowed = 0;
        for (Flow flow : flows) {
            Decision decision = policy.decide(flow);
            if (decision.isAllowed()) {
                allowed++;
            }
        }
        blackhole += allowed;
        return flows.length;
    }

    /**
     * Runs one warm-up round and {@value #ROUNDS} measured rounds, and prints the rate of each
     * and the median, per second of wall-clock time and per second of this thread's CPU time.
     * The two differ when other processes take the core away from the benchmark.
     */
    private static void runRounds(String name, double seconds, IntSupplier batch) {
        long[] wallRates = new long[ROUNDS];
        long[] cpuRates = new long[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long count = 0;
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            do {
                count += batch.getAsInt();
                now = System.nanoTime();
            } while (now < end);
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            if (round >= 0) {
                wallRates[round] = (long) (count / ((now - start) / 1e9));
                cpuRates[round] = (long) (count / (cpu / 1e9));
            }
        }
        printRates(name + ".per_wall_second", wallRates);
        printRates(name + ".per_cpu_second", cpuRates);
    }

    private static void printRates(String name, long[] rates) {
        print(name + ".rounds", Arrays.toString(rates));
        long[] sorted = rates.clone();
        Arrays.sort(sorted);
        print(name + ".median", sorted[ROUNDS / 2]);
    }

    private void measureCompile(Policy policy) {
        long[] millis = new long[ROUNDS];
        CompiledPolicy compiled = null;
        for (int round = -1; round < ROUNDS; round++) {
            long start = System.nanoTime();
            compiled = policy.compile(nodes);
            if (round >= 0) {
                millis[round] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        print("compile.ms.rounds", Arrays.toString(millis));
        Arrays.sort(millis);
        print("compile.ms.median", millis[ROUNDS / 2]);
        print("compile.rules_per_node.mean", String.format("%.1f", compiled.totalRuleCount() / (double) nodes.size()));
        CompiledPolicy last = compiled;
        print("compile.rules_per_node.max", nodes.stream().mapToInt(n -> last.rulesFor(n.name()).size()).max().orElse(0));
        measurePeerDirectories(policy);
    }

    /**
     * Measures the compile with every node's peer directory, as the manager runs it for the
     * desired states, and the directory sizes.
     */
    private void measurePeerDirectories(Policy policy) {
        long[] millis = new long[ROUNDS];
        long[] sizes = new long[nodes.size()];
        for (int round = -1; round < ROUNDS; round++) {
            long start = System.nanoTime();
            CompiledPolicy compiled = policy.compile(nodes);
            for (int i = 0; i < nodes.size(); i++) {
                sizes[i] = compiled.peersFor(nodes.get(i).name()).size();
            }
            if (round >= 0) {
                millis[round] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        print("compile_with_peers.ms.rounds", Arrays.toString(millis));
        Arrays.sort(millis);
        print("compile_with_peers.ms.median", millis[ROUNDS / 2]);
        print("compile_with_peers.peers_per_node.mean", String.format("%.1f", Arrays.stream(sizes).average().orElse(0)));
        print("compile_with_peers.peers_per_node.max", Arrays.stream(sizes).max().orElse(0));
    }

    private void measureParse(List<PolicyRule> rules) {
        byte[] json = PolicyDocument.of(rules, List.of()).toJsonBytes();
        print("document.bytes", json.length);
        long[] millis = new long[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long start = System.nanoTime();
            PolicyDocument.parse(json);
            if (round >= 0) {
                millis[round] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        Arrays.sort(millis);
        print("document.parse_ms.median", millis[ROUNDS / 2]);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static void print(String key, Object value) {
        System.out.println(key + "\t" + value);
    }
}
