package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.weft.fleet.NodeFullName;

class AppLocationsTest {

    private static final NodeFullName SELF = NodeFullName.parse("a.site-a.east.acme.example");

    @Test
    void nearestDomainComesFirst() {
        AppLocations locations = AppLocations.parse(new String[] {"hello=z.west.acme.example,"
                + "b.site-b.east.acme.example,c.site-a.east.acme.example,d.plant.site-a.east.acme.example,"
                + "e.other.example,f.east.acme.example"});

        List<String> order = locations.candidates("hello", SELF).stream().map(NodeFullName::toString).toList();

        assertThat(order).containsExactly("c.site-a.east.acme.example", "d.plant.site-a.east.acme.example",
                "f.east.acme.example", "b.site-b.east.acme.example", "z.west.acme.example", "e.other.example");
    }

    @Test
    void tiesAreBrokenByName() {
        AppLocations locations = AppLocations.parse(new String[] {"hello=y.site-b.east.acme.example,"
                + "x.site-c.east.acme.example"});

        assertThat(locations.candidates("hello", SELF)).extracting(NodeFullName::toString)
                .containsExactly("x.site-c.east.acme.example", "y.site-b.east.acme.example");
    }

    @Test
    void selfIsLeftOut() {
        AppLocations locations = AppLocations.parse(new String[] {"hello=" + SELF + ",b.site-a.east.acme.example"});

        assertThat(locations.candidates("hello", SELF)).extracting(NodeFullName::toString)
                .containsExactly("b.site-a.east.acme.example");
        assertThat(locations.candidates("other", SELF)).isEmpty();
    }

    @Test
    void invalidEntryNamesValue() {
        assertThatThrownBy(() -> AppLocations.parse(new String[] {"hello"}))
                .hasMessageContaining("'hello'").hasMessageContaining("<app>=<node full name>");
        assertThatThrownBy(() -> AppLocations.parse(new String[] {"hello=not a name"}))
                .hasMessageContaining("'not a name'");
    }
}
