package io.weft.manager.control.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.weft.fleet.ProfileValue;

/**
 * Carries the locations of other nodes' apps to a node as the configuration PID {@value #PID},
 * which the node's Edge API reads to forward calls across the mesh. Property {@value #KEY}
 * contains one entry per app, {@code <app>=<node>,<node>,...}, nearest node first.
 */
final class AppLocationsConfiguration {

    static final String PID = "io.weft.node.edge.locations";
    static final String KEY = "apps";

    private AppLocationsConfiguration() {
    }

    /**
     * Returns the node's configurations with the locations PID, which is left out when no other
     * node runs an app. The manager owns this PID, so what a profile sets there is dropped.
     */
    static Map<String, Map<String, ProfileValue>> with(Map<String, Map<String, ProfileValue>> configurations,
            Map<String, List<String>> locations) {
        Map<String, Map<String, ProfileValue>> combined = new TreeMap<>(configurations);
        combined.remove(PID);
        if (locations.isEmpty()) {
            return combined;
        }
        List<String> entries = new ArrayList<>(locations.size());
        locations.forEach((app, nodes) -> entries.add(app + "=" + String.join(",", nodes)));
        combined.put(PID, Map.of(KEY, ProfileValue.ofStrings(entries.toArray(String[]::new))));
        return combined;
    }
}
