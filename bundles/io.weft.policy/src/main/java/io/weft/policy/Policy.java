package io.weft.policy;

import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.policy.internal.AttributeIndex;
import io.weft.policy.internal.DomainChains;
import io.weft.policy.internal.PolicyIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validated set of rules, indexed for decisions. Decisions are pure: they depend only on the
 * rules and the flow, never on the order of the rules, the time or earlier decisions.
 * Instances are immutable and safe to share between threads.
 */
public final class Policy {

    /** Maximum number of rules in one policy. */
    public static final int MAX_RULES = 20_000;

    private static final Policy EMPTY = new Policy(List.of(), Map.of());

    private final List<PolicyRule> rules;
    private final Map<String, PolicyRule> rulesById;
    private final PolicyIndex index;

    private Policy(List<PolicyRule> rules, Map<String, PolicyRule> rulesById) {
        this.rules = rules;
        this.rulesById = rulesById;
        this.index = PolicyIndex.of(rules);
    }

    /** Returns the policy without rules, which denies every flow. */
    public static Policy empty() {
        return EMPTY;
    }

    /**
     * Validates and indexes rules.
     *
     * @throws InvalidPolicyException listing every duplicate id, or when there are more than
     *                                {@value #MAX_RULES} rules
     */
    public static Policy of(Collection<PolicyRule> rules) {
        List<PolicyRule> copy = List.copyOf(rules);
        if (copy.size() > MAX_RULES) {
            throw new InvalidPolicyException("rules", "The policy has " + copy.size() + " rules, more than the"
                    + " maximum of " + MAX_RULES + ". Merge rules with selectors that match several nodes.");
        }

        Map<String, PolicyRule> byId = new LinkedHashMap<>();
        List<PolicyProblem> problems = new ArrayList<>();
        for (int i = 0; i < copy.size(); i++) {
            PolicyRule rule = copy.get(i);
            if (byId.putIfAbsent(rule.id(), rule) != null) {
                problems.add(new PolicyProblem(Optional.of(rule.id()), "rules[" + i + "].id", "Duplicate rule id '"
                        + rule.id() + "': an earlier rule has the same id. Give every rule its own id."));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return new Policy(copy, byId);
    }

    /** Returns the rules in the order given. */
    public List<PolicyRule> rules() {
        return rules;
    }

    public Optional<PolicyRule> rule(String id) {
        return Optional.ofNullable(rulesById.get(id));
    }

    /** Decides a flow, as docs/policy-precedence.md in the repository defines. */
    public Decision decide(Flow flow) {
        return index.decide(flow);
    }

    /**
     * Decides a flow on a node whose peer directory is {@code peers}, where the flow's node
     * subjects come from {@link PeerDirectory#subjectOf}. With a truncated directory, a flow
     * with a node that the directory does not list is denied when a rule of this policy could
     * decide it by that node's role, tags or cluster. So a node never allows what the whole
     * policy denies.
     */
    public Decision decide(Flow flow, PeerDirectory peers) {
        if (!peers.isComplete()) {
            if (flow.source() instanceof NodeSubject source && !peers.lists(source.name())) {
                Optional<PolicyRule> reading = ruleReadingUnknown(flow, true);
                if (reading.isPresent()) {
                    return Decision.unknownPeer(source, reading.get());
                }
            }
            if (!peers.lists(flow.destination().name())) {
                Optional<PolicyRule> reading = ruleReadingUnknown(flow, false);
                if (reading.isPresent()) {
                    return Decision.unknownPeer(flow.destination(), reading.get());
                }
            }
        }
        return decide(flow);
    }

    private Optional<PolicyRule> ruleReadingUnknown(Flow flow, boolean sourceUnknown) {
        for (PolicyRule rule : rules) {
            if (rule.mayMatchByAttributesOf(flow, sourceUnknown)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /**
     * Computes each node's subset of the rules: those that can match a flow in which the node
     * is the source or the destination. A policy of a node's subset decides every such flow of
     * that node exactly as this policy does, as long as the node's name, role, tags and cluster
     * are those given here.
     *
     * @throws InvalidPolicyException with field {@code nodes} when two nodes have the same name
     */
    public CompiledPolicy compile(Collection<NodeSubject> fleet) {
        return compile(fleet, fleet);
    }

    /**
     * Computes the subsets of {@code nodes} as {@link #compile(Collection)} does, with peer
     * directories drawn from {@code fleet}, which must contain every node of the fleet with
     * its current attributes. This compiles a few nodes without the subsets of all others.
     *
     * @throws InvalidPolicyException with field {@code nodes} when two nodes have the same name
     */
    public CompiledPolicy compile(Collection<NodeSubject> nodes, Collection<NodeSubject> fleet) {
        Map<DomainName, List<PolicyRule>> rulesByDomain = new HashMap<>();
        for (PolicyRule rule : rules) {
            rulesByDomain.computeIfAbsent(rule.domain(), domain -> new ArrayList<>()).add(rule);
        }

        DomainChains chains = new DomainChains();
        Map<NodeFullName, List<PolicyRule>> rulesByNode = new LinkedHashMap<>();
        Map<NodeFullName, NodeSubject> subjects = new HashMap<>();
        for (NodeSubject node : nodes) {
            List<PolicyRule> subset = subsetOf(node, chains.chainOf(node.domain()), rulesByDomain);
            if (rulesByNode.putIfAbsent(node.name(), subset) != null) {
                throw new InvalidPolicyException("nodes", "The node " + node.name() + " appears twice in the fleet."
                        + " Send each node once.");
            }
            subjects.put(node.name(), node);
        }
        return new CompiledPolicy(rulesByNode, subjects, new AttributeIndex(fleet));
    }

    /**
     * Returns the attachment domains of the rules that select nodes by tag, cluster or role.
     * A change of a node's attributes can change the decisions, and so the peer directories,
     * of the nodes in those of these domains that contain the node.
     */
    public Set<DomainName> attributeRuleDomains() {
        Set<DomainName> domains = new TreeSet<>((left, right) -> left.toString().compareTo(right.toString()));
        for (PolicyRule rule : rules) {
            if (AttributeIndex.readsAttributes(rule)) {
                domains.add(rule.domain());
            }
        }
        return domains;
    }

    private static List<PolicyRule> subsetOf(
            NodeSubject node, DomainName[] chain, Map<DomainName, List<PolicyRule>> rulesByDomain) {
        List<PolicyRule> subset = new ArrayList<>();
        for (int i = chain.length - 1; i >= 0; i--) {
            for (PolicyRule rule : rulesByDomain.getOrDefault(chain[i], List.of())) {
                if (rule.source().matches(node) || rule.destination().matchesNode(node)) {
                    subset.add(rule);
                }
            }
        }
        return List.copyOf(subset);
    }

    @Override
    public String toString() {
        return "Policy[" + rules.size() + " rules]";
    }
}
