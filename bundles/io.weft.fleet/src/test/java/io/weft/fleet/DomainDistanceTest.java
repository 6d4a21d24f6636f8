package io.weft.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

class DomainDistanceTest {

    private static final DomainName CALLER = DomainName.of("plant1.east.acme.example");

    @Test
    void sameDomainIsNearest() {
        assertThat(DomainDistance.between(CALLER, CALLER)).isEqualTo(new DomainDistance(0, 4));
    }

    @Test
    void subdomainStaysAtLevelZero() {
        DomainDistance distance = DomainDistance.between(CALLER, DomainName.of("line2.plant1.east.acme.example"));

        assertThat(distance.levelsUp()).isZero();
        assertThat(distance.depth()).isEqualTo(5);
    }

    @Test
    void siblingCountsLevelsUp() {
        assertThat(DomainDistance.between(CALLER, DomainName.of("plant2.east.acme.example")).levelsUp()).isEqualTo(1);
        assertThat(DomainDistance.between(CALLER, DomainName.of("west.acme.example")).levelsUp()).isEqualTo(2);
    }

    @Test
    void unrelatedRootIsFarthest() {
        assertThat(DomainDistance.between(CALLER, DomainName.of("other.test")).levelsUp()).isEqualTo(4);
    }

    @Test
    void orderPrefersNearThenShallow() {
        List<DomainName> domains = new ArrayList<>(List.of(DomainName.of("other.test"),
                DomainName.of("plant2.east.acme.example"), DomainName.of("line2.plant1.east.acme.example"),
                DomainName.of("east.acme.example"), CALLER));

        domains.sort(Comparator.comparing(domain -> DomainDistance.between(CALLER, domain)));

        assertThat(domains).extracting(DomainName::toString).containsExactly("plant1.east.acme.example",
                "line2.plant1.east.acme.example", "east.acme.example", "plant2.east.acme.example", "other.test");
    }
}
