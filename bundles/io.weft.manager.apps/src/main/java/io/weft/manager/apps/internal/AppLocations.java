package io.weft.manager.apps.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.weft.fleet.DomainDistance;
import io.weft.fleet.DomainName;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.store.Node;

/**
 * Where each Edge API app runs, as one compilation reads it from the store, and the nearest locations for each
 * calling node. Not thread-safe: one compilation fills and reads it.
 *
 * <p>NOTE: a deployment change or a revocation recompiles every node, but a node created in or
 * deleted from a targeted domain recompiles only itself. The other nodes learn of it at the
 * next recompilation of every node, and until then a call to a deleted node fails over.
 */
final class AppLocations {

    /** App name to the nodes that run it. */
    private final Map<String, Set<Node>> nodesByApp = new HashMap<>();

    void add(Set<String> apps, Node node) {
        for (String app : apps) {
            nodesByApp.computeIfAbsent(app, key -> new TreeSet<>(Comparator.comparing(Node::fullName))).add(node);
        }
    }

    /** Returns, for each app, the full names of the nodes that run it. */
    Map<String, Set<String>> hostNames() {
        Map<String, Set<String>> hosts = new TreeMap<>();
        nodesByApp.forEach((app, nodes) -> hosts.put(app, nodes.stream().map(Node::fullName)
                .collect(Collectors.toCollection(TreeSet::new))));
        return hosts;
    }

    /**
     * Returns, for each app that another node runs, those nodes nearest to {@code caller} first,
     * at most {@link AppDeployments#MAX_LOCATIONS_PER_APP}.
     */
    Map<String, List<String>> nearest(Node caller) {
        DomainName from = DomainName.of(caller.domain());
        Map<String, List<String>> locations = new TreeMap<>();
        nodesByApp.forEach((app, nodes) -> {
            List<Node> others = new ArrayList<>(nodes);
            others.removeIf(node -> node.id().equals(caller.id()));
            others.sort(Comparator.comparing((Node node) -> DomainDistance.between(from, DomainName.of(node.domain())))
                    .thenComparing(Node::fullName));
            List<String> names = others.stream().limit(AppDeployments.MAX_LOCATIONS_PER_APP).map(Node::fullName)
                    .toList();
            if (!names.isEmpty()) {
                locations.put(app, names);
            }
        });
        return locations;
    }
}
