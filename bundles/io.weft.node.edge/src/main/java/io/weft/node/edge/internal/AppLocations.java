package io.weft.node.edge.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.weft.fleet.DomainDistance;
import io.weft.fleet.NodeFullName;

/**
 * The other nodes that run each app, from the desired state's PID {@value #PID}: one entry per
 * app, {@code <app>=<node>,<node>,...}. Immutable.
 */
final class AppLocations {

    static final String PID = "io.weft.node.edge.locations";
    static final AppLocations NONE = new AppLocations(Map.of());

    private final Map<String, List<NodeFullName>> nodesByApp;

    private AppLocations(Map<String, List<NodeFullName>> nodesByApp) {
        this.nodesByApp = Map.copyOf(nodesByApp);
    }

    /**
     * Parses the entries of the locations configuration.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code <app>=<node>,...} with valid node names
     */
    static AppLocations parse(String[] entries) {
        Map<String, List<NodeFullName>> nodesByApp = new TreeMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("Invalid app location '" + entry + "' in PID " + PID
                        + ": expected <app>=<node full name>,<node full name>,...");
            }
            List<NodeFullName> nodes = new ArrayList<>();
            for (String name : entry.substring(equals + 1).split(",")) {
                nodes.add(nodeName(entry, name.strip()));
            }
            nodesByApp.put(entry.substring(0, equals).strip(), List.copyOf(nodes));
        }
        return new AppLocations(nodesByApp);
    }

    /**
     * Returns the nodes other than {@code self} that run the app, in the order in which a call
     * tries them: nearest by domain first, see {@link DomainDistance}, then by full name.
     */
    List<NodeFullName> candidates(String app, NodeFullName self) {
        Set<NodeFullName> nodes = new LinkedHashSet<>(nodesByApp.getOrDefault(app, List.of()));
        nodes.remove(self);
        List<NodeFullName> ordered = new ArrayList<>(nodes);
        ordered.sort(Comparator.comparing((NodeFullName node) -> DomainDistance.between(self.domain(), node.domain()))
                .thenComparing(NodeFullName::toString));
        return ordered;
    }

    int size() {
        return nodesByApp.size();
    }

    private static NodeFullName nodeName(String entry, String name) {
        try {
            return NodeFullName.parse(name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid node name '" + name + "' in app location '" + entry
                    + "' of PID " + PID + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return nodesByApp.toString();
    }
}
