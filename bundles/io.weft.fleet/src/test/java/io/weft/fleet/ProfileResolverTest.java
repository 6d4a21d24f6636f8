package io.weft.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileResolverTest {

    private static final String MESH = "io.weft.mesh";
    private static final String WEB = "org.ops4j.pax.web";

    private static final DomainName ACME = DomainName.of("acme.example");
    private static final DomainName EAST = DomainName.of("east.acme.example");
    private static final DomainName WEST = DomainName.of("west.acme.example");
    private static final DomainName PLANT1 = DomainName.of("plant1.east.acme.example");
    private static final NodeFullName GW1 = NodeFullName.parse("gw1.east.acme.example");
    private static final NodeFullName LINE_NODE = NodeFullName.parse("m7.line3.plant1.east.acme.example");

    /**
     * One row of the inheritance table. Expected values map {@code pid/key} to
     * {@code value from owner}; expected removals map {@code pid/key} to
     * {@code removed by owner} followed by the value that the removal dropped.
     */
    record Case(String name, List<ProfileLevel> levels, Map<String, String> values, Map<String, String> removals) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> inheritanceCases() {
        return Stream.of(
                new Case("single level passes through",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443)))),
                        Map.of("io.weft.mesh/port", "8443 from domain:acme.example"),
                        Map.of()),
                new Case("subdomain overrides one key",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443)).set(MESH, "host", text("a"))),
                                domain(EAST, Profile.builder().set(MESH, "port", longValue(9443)))),
                        Map.of("io.weft.mesh/port", "9443 from domain:east.acme.example",
                                "io.weft.mesh/host", "\"a\" from domain:acme.example"),
                        Map.of()),
                new Case("node overrides its domains",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443))),
                                domain(EAST, Profile.builder().set(MESH, "port", longValue(9443))),
                                node(GW1, Profile.builder().set(MESH, "port", longValue(7443)))),
                        Map.of("io.weft.mesh/port", "7443 from node:gw1.east.acme.example"),
                        Map.of()),
                new Case("removal drops inherited key",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443)).set(MESH, "host", text("a"))),
                                node(GW1, Profile.builder().remove(MESH, "port"))),
                        Map.of("io.weft.mesh/host", "\"a\" from domain:acme.example"),
                        Map.of("io.weft.mesh/port",
                                "removed by node:gw1.east.acme.example, was 8443 from domain:acme.example")),
                new Case("re-added below a removal",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443))),
                                domain(EAST, Profile.builder().remove(MESH, "port")),
                                node(GW1, Profile.builder().set(MESH, "port", longValue(7443)))),
                        Map.of("io.weft.mesh/port", "7443 from node:gw1.east.acme.example"),
                        Map.of()),
                new Case("removal of key nobody set",
                        List.of(domain(ACME, Profile.builder().set(WEB, "port", longValue(8181))),
                                node(GW1, Profile.builder().remove(MESH, "port"))),
                        Map.of("org.ops4j.pax.web/port", "8181 from domain:acme.example"),
                        Map.of("io.weft.mesh/port", "removed by node:gw1.east.acme.example, was nothing")),
                new Case("second removal records lowest level",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443))),
                                domain(EAST, Profile.builder().remove(MESH, "port")),
                                domain(PLANT1, Profile.builder().remove(MESH, "port"))),
                        Map.of(),
                        Map.of("io.weft.mesh/port", "removed by domain:plant1.east.acme.example, was nothing")),
                new Case("PID emptied by removals disappears",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443)).set(MESH, "host", text("a"))),
                                node(GW1, Profile.builder().remove(MESH, "port").remove(MESH, "host"))),
                        Map.of(),
                        Map.of("io.weft.mesh/port", "removed by node:gw1.east.acme.example, was 8443 from domain:acme.example",
                                "io.weft.mesh/host",
                                "removed by node:gw1.east.acme.example, was \"a\" from domain:acme.example")),
                new Case("removal spares same key in other PID",
                        List.of(domain(ACME, Profile.builder()
                                        .set(MESH, "port", longValue(8443))
                                        .set(WEB, "port", longValue(8181))),
                                node(GW1, Profile.builder().remove(WEB, "port"))),
                        Map.of("io.weft.mesh/port", "8443 from domain:acme.example"),
                        Map.of("org.ops4j.pax.web/port",
                                "removed by node:gw1.east.acme.example, was 8181 from domain:acme.example")),
                new Case("lower level changes key type",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443))),
                                node(GW1, Profile.builder().set(MESH, "port", text("8443")))),
                        Map.of("io.weft.mesh/port", "\"8443\" from node:gw1.east.acme.example"),
                        Map.of()),
                new Case("array replaced as a whole",
                        List.of(domain(ACME, Profile.builder().set(MESH, "ports", ProfileValue.ofLongs(80, 443))),
                                domain(EAST, Profile.builder().set(MESH, "ports", ProfileValue.ofLongs(8080)))),
                        Map.of("io.weft.mesh/ports", "[8080] from domain:east.acme.example"),
                        Map.of()),
                new Case("keys match ignoring case",
                        List.of(domain(ACME, Profile.builder().set(MESH, "sshPort", longValue(8101))),
                                node(GW1, Profile.builder().set(MESH, "SSHPORT", longValue(8102)))),
                        Map.of("io.weft.mesh/SSHPORT", "8102 from node:gw1.east.acme.example"),
                        Map.of()),
                new Case("PIDs from different levels merge",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443))),
                                domain(EAST, Profile.builder().set(WEB, "port", longValue(8181)))),
                        Map.of("io.weft.mesh/port", "8443 from domain:acme.example",
                                "org.ops4j.pax.web/port", "8181 from domain:east.acme.example"),
                        Map.of()),
                new Case("empty levels change nothing",
                        List.of(domain(ACME, Profile.builder().set(MESH, "port", longValue(8443))),
                                domain(EAST, Profile.builder()),
                                domain(PLANT1, Profile.builder()),
                                node(NodeFullName.parse("m1.plant1.east.acme.example"), Profile.builder())),
                        Map.of("io.weft.mesh/port", "8443 from domain:acme.example"),
                        Map.of()),
                new Case("only empty levels",
                        List.of(domain(ACME, Profile.builder()), node(GW1, Profile.builder())),
                        Map.of(),
                        Map.of()),
                new Case("no levels",
                        List.of(),
                        Map.of(),
                        Map.of()),
                new Case("deep tree of six levels",
                        deepTreeLevels(),
                        Map.of("io.weft.mesh/origin", "\"root\" from domain:example",
                                "io.weft.mesh/depth", "6 from node:m7.line3.plant1.east.acme.example",
                                "io.weft.mesh/east", "true from domain:east.acme.example",
                                "io.weft.mesh/plant", "\"p1\" from domain:plant1.east.acme.example"),
                        Map.of("io.weft.mesh/line", "removed by node:m7.line3.plant1.east.acme.example,"
                                + " was \"l3\" from domain:line3.plant1.east.acme.example")));
    }

    /**
     * Six levels from {@code example} to a node. Every level overrides {@code depth}; the node
     * also removes {@code line}, which its own domain set.
     */
    private static List<ProfileLevel> deepTreeLevels() {
        return List.of(
                domain(DomainName.of("example"),
                        Profile.builder().set(MESH, "depth", longValue(1)).set(MESH, "origin", text("root"))),
                domain(ACME, Profile.builder().set(MESH, "depth", longValue(2))),
                domain(EAST,
                        Profile.builder().set(MESH, "depth", longValue(3)).set(MESH, "east", ProfileValue.ofBoolean(true))),
                domain(PLANT1, Profile.builder().set(MESH, "depth", longValue(4)).set(MESH, "plant", text("p1"))),
                domain(LINE_NODE.domain(), Profile.builder().set(MESH, "depth", longValue(5)).set(MESH, "line", text("l3"))),
                node(LINE_NODE, Profile.builder().set(MESH, "depth", longValue(6)).remove(MESH, "line")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inheritanceCases")
    void inheritanceTable(Case inheritance) {
        EffectiveProfile effective = ProfileResolver.resolve(inheritance.levels());

        assertThat(renderValues(effective)).isEqualTo(new TreeMap<>(inheritance.values()));
        assertThat(renderRemovals(effective)).isEqualTo(new TreeMap<>(inheritance.removals()));
    }

    @Test
    void siblingDomainsStayIsolated() {
        Map<DomainName, Profile> domains = Map.of(
                ACME, Profile.empty().with(MESH, "port", longValue(8443)),
                EAST, Profile.empty().with(MESH, "zone", text("east")),
                WEST, Profile.empty().with(MESH, "zone", text("west")).with(MESH, "westOnly", longValue(1)));
        NodeFullName westNode = NodeFullName.parse("gw2.west.acme.example");

        EffectiveProfile east = ProfileResolver.resolve(ProfileResolver.levelsOf(GW1, domains, Profile.empty()));
        EffectiveProfile west = ProfileResolver.resolve(ProfileResolver.levelsOf(westNode, domains, Profile.empty()));

        assertThat(renderValues(east)).containsOnly(
                Map.entry("io.weft.mesh/port", "8443 from domain:acme.example"),
                Map.entry("io.weft.mesh/zone", "\"east\" from domain:east.acme.example"));
        assertThat(renderValues(west)).containsOnly(
                Map.entry("io.weft.mesh/port", "8443 from domain:acme.example"),
                Map.entry("io.weft.mesh/zone", "\"west\" from domain:west.acme.example"),
                Map.entry("io.weft.mesh/westOnly", "1 from domain:west.acme.example"));
    }

    @Test
    void levelsOfSkipsDomainsWithoutProfile() {
        Map<DomainName, Profile> domains = Map.of(ACME, Profile.empty(), PLANT1, Profile.empty());
        NodeFullName node = NodeFullName.parse("m1.plant1.east.acme.example");

        List<ProfileLevel> levels = ProfileResolver.levelsOf(node, domains, Profile.empty());

        assertThat(levels).extracting(level -> level.owner().toString()).containsExactly(
                "domain:acme.example", "domain:plant1.east.acme.example", "node:m1.plant1.east.acme.example");
    }

    @Test
    void effectiveValueLookupIgnoresKeyCase() {
        EffectiveProfile effective = ProfileResolver.resolve(List.of(
                domain(ACME, Profile.builder().set(MESH, "sshPort", longValue(8101)).remove(MESH, "hostName"))));

        assertThat(effective.value(MESH, "SSHPORT").map(EffectiveValue::key)).contains("sshPort");
        assertThat(effective.removal(MESH, "hostname").map(EffectiveRemoval::key)).contains("hostName");
        assertThat(effective.value(WEB, "sshPort")).isEmpty();
        assertThat(effective.pidsWithRemovals()).containsExactly(MESH);
    }

    @Test
    void configurationPropertiesUseConfigAdminTypes() {
        EffectiveProfile effective = ProfileResolver.resolve(List.of(
                domain(ACME, Profile.builder()
                        .set(MESH, "port", longValue(8443))
                        .set(MESH, "peers", ProfileValue.ofStrings("a"))),
                node(GW1, Profile.builder().set(MESH, "Enabled", ProfileValue.ofBoolean(true)))));

        Map<String, Object> properties = effective.configurationProperties(MESH);

        assertThat(properties).containsOnlyKeys("port", "peers", "Enabled");
        assertThat(properties.get("port")).isEqualTo(8443L);
        assertThat(properties.get("peers")).isEqualTo(new String[] {"a"});
        assertThat(properties.get("Enabled")).isEqualTo(Boolean.TRUE);
        assertThat(effective.configurationProperties(WEB)).isEmpty();
    }

    @Test
    void sameLevelsGiveEqualProfiles() {
        List<ProfileLevel> levels = deepTreeLevels();

        EffectiveProfile first = ProfileResolver.resolve(levels);
        EffectiveProfile second = ProfileResolver.resolve(levels);

        assertThat(first).isEqualTo(second);
        assertThat(first.hashCode()).isEqualTo(second.hashCode());
        assertThat(first.values(MESH)).extracting(EffectiveValue::key)
                .containsExactly("depth", "origin", "east", "plant");
    }

    @Test
    void rejectsSiblingAfterSibling() {
        List<ProfileLevel> levels = List.of(domain(EAST, Profile.builder()), domain(WEST, Profile.builder()));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProfileResolver.resolve(levels))
                .withMessage("Profile levels must run from the root domain down to at most one node, but"
                        + " domain:west.acme.example follows domain:east.acme.example. Order the levels root first,"
                        + " each within the one before, and leave out levels of other branches.");
    }

    @Test
    void rejectsChildBeforeParent() {
        List<ProfileLevel> levels = List.of(domain(EAST, Profile.builder()), domain(ACME, Profile.builder()));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProfileResolver.resolve(levels))
                .withMessageContaining("domain:acme.example follows domain:east.acme.example");
    }

    @Test
    void rejectsSameDomainTwice() {
        List<ProfileLevel> levels = List.of(domain(EAST, Profile.builder()), domain(EAST, Profile.builder()));

        assertThatIllegalArgumentException().isThrownBy(() -> ProfileResolver.resolve(levels));
    }

    @Test
    void rejectsLevelAfterNode() {
        List<ProfileLevel> levels = List.of(node(GW1, Profile.builder()), domain(EAST, Profile.builder()));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProfileResolver.resolve(levels))
                .withMessageContaining("domain:east.acme.example follows node:gw1.east.acme.example");
    }

    @Test
    void rejectsNodeOutsideLastDomain() {
        List<ProfileLevel> levels = List.of(domain(WEST, Profile.builder()), node(GW1, Profile.builder()));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProfileResolver.resolve(levels))
                .withMessageContaining("node:gw1.east.acme.example follows domain:west.acme.example");
    }

    private static Map<String, String> renderValues(EffectiveProfile effective) {
        Map<String, String> rendered = new TreeMap<>();
        for (String pid : effective.pids()) {
            for (EffectiveValue value : effective.values(pid)) {
                rendered.put(pid + "/" + value.key(), value.value() + " from " + value.source());
            }
        }
        return rendered;
    }

    private static Map<String, String> renderRemovals(EffectiveProfile effective) {
        Map<String, String> rendered = new TreeMap<>();
        for (String pid : effective.pidsWithRemovals()) {
            for (EffectiveRemoval removal : effective.removals(pid)) {
                String removedValue = removal.removedValue()
                        .map(value -> value.value() + " from " + value.source())
                        .orElse("nothing");
                rendered.put(pid + "/" + removal.key(), "removed by " + removal.removedBy() + ", was " + removedValue);
            }
        }
        return rendered;
    }

    private static ProfileLevel domain(DomainName domain, Profile.Builder profile) {
        return ProfileLevel.domain(domain, profile.build());
    }

    private static ProfileLevel node(NodeFullName node, Profile.Builder profile) {
        return ProfileLevel.node(node, profile.build());
    }

    private static ProfileValue longValue(long value) {
        return ProfileValue.ofLong(value);
    }

    private static ProfileValue text(String value) {
        return ProfileValue.ofString(value);
    }
}
