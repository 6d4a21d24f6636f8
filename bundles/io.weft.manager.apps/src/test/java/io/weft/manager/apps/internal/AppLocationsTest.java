package io.weft.manager.apps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeState;

class AppLocationsTest {

    private static final Node CALLER = node("a", "site-a.east.acme.example");

    @Test
    void nearestDomainComesFirst() {
        AppLocations locations = new AppLocations();
        for (Node node : List.of(node("z", "west.acme.example"), node("b", "site-b.east.acme.example"),
                node("c", "site-a.east.acme.example"), node("f", "east.acme.example"), CALLER)) {
            locations.add(Set.of("hello"), node);
        }

        Map<String, List<String>> nearest = locations.nearest(CALLER);

        assertThat(nearest).containsOnlyKeys("hello");
        assertThat(nearest.get("hello")).containsExactly("c.site-a.east.acme.example", "f.east.acme.example",
                "b.site-b.east.acme.example", "z.west.acme.example");
    }

    @Test
    void locationsAreCappedPerApp() {
        AppLocations locations = new AppLocations();
        IntStream.range(0, 20).forEach(i -> locations.add(Set.of("hello"), node("n" + (10 + i), "west.acme.example")));

        assertThat(locations.nearest(CALLER).get("hello")).hasSize(AppDeployments.MAX_LOCATIONS_PER_APP)
                .startsWith("n10.west.acme.example");
    }

    @Test
    void appOnlyOnCallerHasNoLocations() {
        AppLocations locations = new AppLocations();
        locations.add(Set.of("hello"), CALLER);

        assertThat(locations.nearest(CALLER)).isEmpty();
    }

    private static Node node(String name, String domain) {
        return new Node(name + "-id", name, domain, NodeRole.EDGE, Set.of(), Optional.empty(), "", NodeState.ENROLLED,
                Optional.empty(), 1, Instant.EPOCH, Instant.EPOCH);
    }
}
