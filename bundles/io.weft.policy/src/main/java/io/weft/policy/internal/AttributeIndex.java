package io.weft.policy.internal;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyRule;
import io.weft.policy.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fleet's nodes by tag, by cluster and by the gateway role, for the peer directories of a
 * compiled policy. A complete directory lists every node that a tag, cluster or role term can
 * match on the other end of a flow of the node, inside the term's attachment domain. A node
 * that it does not list matches none of those terms. Not thread-safe: one compilation uses it.
 */
public final class AttributeIndex {

    /** A node's peer directory entries, and whether they are all the nodes that its rules read. */
    public record Peers(List<NodeSubject> entries, boolean complete) {
    }

    private final Map<Tag, List<NodeSubject>> byTag = new HashMap<>();
    private final Map<ClusterName, List<NodeSubject>> byCluster = new HashMap<>();
    private final List<NodeSubject> gateways = new ArrayList<>();
    private final Map<Scoped, List<NodeSubject>> matchesByTerm = new HashMap<>();

    public AttributeIndex(Collection<NodeSubject> fleet) {
        for (NodeSubject node : fleet) {
            node.tags().forEach(tag -> byTag.computeIfAbsent(tag, key -> new ArrayList<>()).add(node));
            node.cluster().ifPresent(cluster -> byCluster.computeIfAbsent(cluster, key -> new ArrayList<>()).add(node));
            if (node.role() == NodeRole.GATEWAY) {
                gateways.add(node);
            }
        }
    }

    /** Returns true when the selector contains a tag, cluster or role term, whose result depends on attributes. */
    public static boolean readsAttributes(Selector selector) {
        boolean[] found = { false };
        selector.forEachTerm(term -> found[0] |= isAttributeTerm(term));
        return found[0];
    }

    /** Returns true when the rule's source or destination selector reads attributes. */
    public static boolean readsAttributes(PolicyRule rule) {
        return readsAttributes(rule.source()) || rule.destination().nodes().map(AttributeIndex::readsAttributes)
                .orElse(false);
    }

    /**
     * Returns the peer directory of a node whose rules are {@code subset}: the node itself, then
     * the nodes that an attribute term can match on the other end of the node's flows, rules of
     * deeper domains first, each with only the tags and cluster that the subset's terms name.
     * Past {@code maxPeers} entries the rest are left out and the directory is not complete.
     */
    public Peers peersFor(NodeSubject self, List<PolicyRule> subset, int maxPeers) {
        Map<NodeFullName, NodeSubject> listed = new LinkedHashMap<>();
        listed.put(self.name(), self);
        boolean complete = true;
        for (int i = subset.size() - 1; i >= 0 && complete; i--) {
            PolicyRule rule = subset.get(i);
            if (rule.destination().matchesNode(self)) {
                complete = addMatches(rule.source(), rule.domain(), listed, maxPeers);
            }
            if (complete && rule.source().matches(self) && rule.destination().nodes().isPresent()) {
                complete = addMatches(rule.destination().nodes().get(), rule.domain(), listed, maxPeers);
            }
        }
        return new Peers(restrict(listed.values(), subset), complete);
    }

    /** Adds the nodes that the selector's attribute terms match; returns false when the directory is full. */
    private boolean addMatches(Selector selector, DomainName domain, Map<NodeFullName, NodeSubject> listed,
            int maxPeers) {
        List<Selector> terms = new ArrayList<>();
        selector.forEachTerm(term -> {
            if (isAttributeTerm(term)) {
                terms.add(term);
            }
        });
        for (Selector term : terms) {
            for (NodeSubject node : matchesOf(new Scoped(term, domain))) {
                if (listed.putIfAbsent(node.name(), node) == null && listed.size() > maxPeers) {
                    listed.remove(node.name());
                    return false;
                }
            }
        }
        return true;
    }

    private List<NodeSubject> matchesOf(Scoped scoped) {
        return matchesByTerm.computeIfAbsent(scoped, key -> {
            List<NodeSubject> candidates;
            if (key.term() instanceof Selector.ByTag byTagTerm) {
                candidates = byTag.getOrDefault(byTagTerm.tag(), List.of());
            } else if (key.term() instanceof Selector.ByCluster byClusterTerm) {
                candidates = byCluster.getOrDefault(byClusterTerm.cluster(), List.of());
            } else {
                // Listing the gateways is enough for both roles: a node that is not listed is an edge.
                candidates = gateways;
            }
            return candidates.stream().filter(node -> node.domain().isWithin(key.domain())).toList();
        });
    }

    /** Returns the entries with only the tags and clusters that a term of {@code subset} names. */
    private static List<NodeSubject> restrict(Collection<NodeSubject> entries, List<PolicyRule> subset) {
        Set<Tag> tags = new HashSet<>();
        Set<ClusterName> clusters = new HashSet<>();
        for (PolicyRule rule : subset) {
            rule.source().forEachTerm(term -> collectNamed(term, tags, clusters));
            rule.destination().nodes().ifPresent(nodes -> nodes.forEachTerm(term -> collectNamed(term, tags, clusters)));
        }
        List<NodeSubject> restricted = new ArrayList<>(entries.size());
        for (NodeSubject node : entries) {
            restricted.add(restrict(node, tags, clusters));
        }
        return restricted;
    }

    /** Returns the node itself when the subset names all its attributes, which saves a copy per entry. */
    private static NodeSubject restrict(NodeSubject node, Set<Tag> tags, Set<ClusterName> clusters) {
        Optional<ClusterName> cluster = node.cluster().filter(clusters::contains);
        if (tags.containsAll(node.tags()) && cluster.equals(node.cluster())) {
            return node;
        }
        Set<Tag> namedTags = new TreeSet<>();
        node.tags().stream().filter(tags::contains).forEach(namedTags::add);
        return new NodeSubject(node.name(), node.role(), namedTags, cluster);
    }

    private static void collectNamed(Selector term, Set<Tag> tags, Set<ClusterName> clusters) {
        if (term instanceof Selector.ByTag byTagTerm) {
            tags.add(byTagTerm.tag());
        } else if (term instanceof Selector.ByCluster byClusterTerm) {
            clusters.add(byClusterTerm.cluster());
        }
    }

    private static boolean isAttributeTerm(Selector term) {
        return term instanceof Selector.ByTag || term instanceof Selector.ByCluster || term instanceof Selector.ByRole;
    }

    /** An attribute term inside the attachment domain of its rule. */
    private record Scoped(Selector term, DomainName domain) {
    }
}
