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
import java.util.function.Consumer;

/**
 * The fleet's nodes by tag, by cluster and by the gateway role, for the peer directories of a
 * compiled policy. A directory lists every node that a tag, cluster or role term of the node's
 * rules matches inside the term's attachment domain, so a node that is not listed matches none
 * of those terms. Not thread-safe: one compilation uses it.
 */
public final class AttributeIndex {

    private final Map<Tag, List<NodeSubject>> byTag = new HashMap<>();
    private final Map<ClusterName, List<NodeSubject>> byCluster = new HashMap<>();
    private final List<NodeSubject> gateways = new ArrayList<>();
    private final Map<List<PolicyRule>, Peers> peersBySubset = new HashMap<>();

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
     * Returns the peer directory entries of a node whose rules are {@code subset}: the node
     * itself and every node that an attribute term of the subset matches, each with only the
     * tags and cluster that the subset's terms name. Nodes with equal subsets share the work.
     */
    public List<NodeSubject> peersFor(NodeSubject self, List<PolicyRule> subset) {
        Peers peers = peersBySubset.computeIfAbsent(subset, this::collect);
        Map<NodeFullName, NodeSubject> entries = new LinkedHashMap<>();
        entries.put(self.name(), peers.restrict(self));
        peers.nodes().forEach(node -> entries.putIfAbsent(node.name(), node));
        return List.copyOf(entries.values());
    }

    private Peers collect(List<PolicyRule> subset) {
        Set<Tag> tags = new HashSet<>();
        Set<ClusterName> clusters = new HashSet<>();
        Map<NodeFullName, NodeSubject> matched = new HashMap<>();
        for (PolicyRule rule : subset) {
            Consumer<Selector> addMatches = term -> addMatches(term, rule.domain(), tags, clusters, matched);
            rule.source().forEachTerm(addMatches);
            rule.destination().nodes().ifPresent(nodes -> nodes.forEachTerm(addMatches));
        }
        Peers unrestricted = new Peers(Set.copyOf(tags), Set.copyOf(clusters), List.of());
        List<NodeSubject> restricted = new ArrayList<>(matched.size());
        matched.values().forEach(node -> restricted.add(unrestricted.restrict(node)));
        return new Peers(unrestricted.tags(), unrestricted.clusters(), restricted);
    }

    private void addMatches(Selector term, DomainName domain, Set<Tag> tags, Set<ClusterName> clusters,
            Map<NodeFullName, NodeSubject> matched) {
        List<NodeSubject> candidates;
        if (term instanceof Selector.ByTag byTagTerm) {
            tags.add(byTagTerm.tag());
            candidates = byTag.getOrDefault(byTagTerm.tag(), List.of());
        } else if (term instanceof Selector.ByCluster byClusterTerm) {
            clusters.add(byClusterTerm.cluster());
            candidates = byCluster.getOrDefault(byClusterTerm.cluster(), List.of());
        } else if (term instanceof Selector.ByRole) {
            // Listing the gateways is enough for both roles: a node that is not listed is an edge.
            candidates = gateways;
        } else {
            return;
        }
        for (NodeSubject candidate : candidates) {
            if (candidate.domain().isWithin(domain)) {
                matched.putIfAbsent(candidate.name(), candidate);
            }
        }
    }

    private static boolean isAttributeTerm(Selector term) {
        return term instanceof Selector.ByTag || term instanceof Selector.ByCluster || term instanceof Selector.ByRole;
    }

    /** The tags and clusters that a subset's terms name, and the nodes that its terms match. */
    private record Peers(Set<Tag> tags, Set<ClusterName> clusters, List<NodeSubject> nodes) {

        NodeSubject restrict(NodeSubject node) {
            Set<Tag> namedTags = new TreeSet<>();
            node.tags().stream().filter(tags::contains).forEach(namedTags::add);
            Optional<ClusterName> cluster = node.cluster().filter(clusters::contains);
            return new NodeSubject(node.name(), node.role(), namedTags, cluster);
        }
    }
}
