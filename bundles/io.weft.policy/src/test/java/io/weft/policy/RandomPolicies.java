package io.weft.policy;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random fleets, rules and flows over a small 4-level tree under {@code acme.example}, drawn
 * from a seeded {@link Random} so that every failure repeats.
 */
final class RandomPolicies {

    static final List<String> TAGS = List.of("camera", "lidar", "ops");
    static final List<String> CLUSTERS = List.of("c1", "c2");
    static final List<String> CLIENTS = List.of("ci", "ops-bot");
    static final List<Endpoint> ENDPOINTS = List.of(
            ServiceName.of("ssh"), ServiceName.of("http"), AppOperation.parse("io.acme.cam/snap"));

    final Random random;
    final List<DomainName> domains = new ArrayList<>();
    final List<NodeSubject> nodes = new ArrayList<>();
    private int nextRuleId;

    RandomPolicies(long seed, int nodeCount) {
        random = new Random(seed);
        addDomains(DomainName.of("acme.example"), 1);
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(node(i));
        }
    }

    private void addDomains(DomainName domain, int level) {
        domains.add(domain);
        if (level < 4) {
            for (int i = 0; i < 2; i++) {
                addDomains(DomainName.of("d" + level + i + "." + domain), level + 1);
            }
        }
    }

    private NodeSubject node(int index) {
        DomainName domain = pick(domains);
        Set<Tag> tags = new HashSet<>();
        for (String tag : TAGS) {
            if (random.nextInt(3) == 0) {
                tags.add(Tag.of(tag));
            }
        }
        Optional<ClusterName> cluster = random.nextBoolean() ? Optional.of(ClusterName.of(pick(CLUSTERS))) : Optional.empty();
        NodeRole role = random.nextInt(4) == 0 ? NodeRole.GATEWAY : NodeRole.EDGE;
        return new NodeSubject(NodeFullName.parse("n" + index + "." + domain), role, tags, cluster);
    }

    List<PolicyRule> rules(int count) {
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rules.add(rule(pick(domains), random.nextBoolean() ? Action.ALLOW : Action.DENY, random.nextInt(5) == 0));
        }
        return rules;
    }

    PolicyRule rule(DomainName domain, Action action, boolean guardrail) {
        Endpoint endpoint = pick(ENDPOINTS);
        Optional<Selector> nodes = random.nextBoolean() ? Optional.of(selector(domain, false, 0)) : Optional.empty();
        PolicyRule rule = new PolicyRule("R" + nextRuleId++, domain, selector(domain, true, 0),
                new Destination(endpoint, nodes), action, Optional.empty(), List.of(), "", guardrail);
        if (endpoint instanceof ServiceName && random.nextInt(4) == 0) {
            rule = rule.withPorts(Optional.of(Protocol.TCP), List.of(new PortRange(20, 25)));
        }
        return rule;
    }

    /** Returns a selector whose node and domain terms stay inside {@code domain}. */
    Selector selector(DomainName domain, boolean mayNameClient, int nesting) {
        int kind = random.nextInt(nesting < 2 ? 8 : 6);
        return switch (kind) {
            case 0 -> new Selector.ByDomain(pickWithin(domain));
            case 1 -> nodeWithin(domain).<Selector>map(n -> new Selector.ByNode(n.name()))
                    .orElseGet(() -> new Selector.ByDomain(domain));
            case 2 -> new Selector.ByTag(Tag.of(pick(TAGS)));
            case 3 -> new Selector.ByCluster(ClusterName.of(pick(CLUSTERS)));
            case 4 -> new Selector.ByRole(random.nextBoolean() ? NodeRole.EDGE : NodeRole.GATEWAY);
            case 5 -> mayNameClient ? new Selector.ByClient(ClientName.of(pick(CLIENTS))) : new Selector.ByDomain(domain);
            case 6 -> new Selector.AllOf(List.of(selector(domain, mayNameClient, nesting + 1),
                    selector(domain, mayNameClient, nesting + 1)));
            default -> new Selector.AnyOf(List.of(selector(domain, mayNameClient, nesting + 1),
                    selector(domain, mayNameClient, nesting + 1)));
        };
    }

    List<Flow> flows(int count) {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            flows.add(flow(random.nextInt(5) == 0 ? ClientSubject.of(pick(CLIENTS)) : pick(nodes), pick(nodes)));
        }
        return flows;
    }

    Flow flow(Subject source, NodeSubject destination) {
        Endpoint endpoint = pick(ENDPOINTS);
        Target target = endpoint instanceof ServiceName service
                ? new ServiceTarget(service, random.nextInt(5) == 0 ? Protocol.UDP : Protocol.TCP, 20 + random.nextInt(10))
                : (AppOperation) endpoint;
        return new Flow(source, destination, target);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private DomainName pickWithin(DomainName domain) {
        List<DomainName> within = domains.stream().filter(d -> d.isWithin(domain)).toList();
        return pick(within);
    }

    private Optional<NodeSubject> nodeWithin(DomainName domain) {
        List<NodeSubject> within = nodes.stream().filter(n -> n.domain().isWithin(domain)).toList();
        return within.isEmpty() ? Optional.empty() : Optional.of(pick(within));
    }
}
