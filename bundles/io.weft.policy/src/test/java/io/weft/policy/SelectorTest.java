package io.weft.policy;

import static io.weft.policy.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.ClusterName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorTest {

    private static final NodeSubject CAMERA = NodeSubject.edge("cam1.plant1.east.acme.example")
            .withTags(Set.of(Tag.of("camera"))).withCluster(ClusterName.of("video"));
    private static final NodeSubject GATEWAY = NodeSubject.edge("gw1.west.acme.example").withRole(NodeRole.GATEWAY);
    private static final ClientSubject CI = ClientSubject.of("ci-deployer");

    @ParameterizedTest
    @ValueSource(strings = {
        "node:web1.plant1.east.acme.example",
        "domain:east.acme.example",
        "tag:camera",
        "cluster:video",
        "role:gateway",
        "client:ci-deployer",
        "all(tag:camera, domain:east.acme.example)",
        "any(tag:camera, all(role:gateway, cluster:video))",
    })
    void textFormRoundTrips(String text) {
        assertThat(Selector.parse(text)).hasToString(text);
    }

    @Test
    void parseAcceptsSpacesAroundGroups() {
        assertThat(Selector.parse(" any( tag:camera ,role:edge ) ")).hasToString("any(tag:camera, role:edge)");
    }

    @Test
    void parseFoldsNameCase() {
        assertThat(Selector.parse("node:CAM1.Plant1.east.acme.example"))
                .isEqualTo(Selector.parse("node:cam1.plant1.east.acme.example"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "node:cam1.plant1.east.acme.example | true  | false | false",
        "domain:east.acme.example           | true  | false | false",
        "domain:acme.example                | true  | true  | false",
        "tag:camera                         | true  | false | false",
        "cluster:video                      | true  | false | false",
        "role:gateway                       | false | true  | false",
        "role:edge                          | true  | false | false",
        "client:ci-deployer                 | false | false | true",
        "all(tag:camera, role:edge)         | true  | false | false",
        "all(tag:camera, role:gateway)      | false | false | false",
        "any(role:gateway, client:ci-deployer) | false | true | true",
    })
    void matchesSubjects(String text, boolean camera, boolean gateway, boolean client) {
        Selector selector = Selector.parse(text);

        assertThat(selector.matches(CAMERA)).as("camera").isEqualTo(camera);
        assertThat(selector.matches(GATEWAY)).as("gateway").isEqualTo(gateway);
        assertThat(selector.matches(CI)).as("client").isEqualTo(client);
    }

    @Test
    void domainMatchesWholeLabelsOnly() {
        NodeSubject westAcme = NodeSubject.edge("n1.westacme.example");

        assertThat(Selector.parse("domain:acme.example").matches(westAcme)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "host:web1.acme.example    | Invalid selector 'host:web1.acme.example' at character 1: Unknown selector kind 'host'."
                + " Use one of: node, domain, tag, cluster, role, client, all(...) or any(...).",
        "node:web1                 | Invalid selector 'node:web1' at character 6: Invalid node full name 'web1': it has no domain.",
        "domain:-east.acme.example | Invalid selector 'domain:-east.acme.example' at character 8: Invalid domain",
        "tag:fast gpu              | Invalid selector 'tag:fast gpu' at character 10: unexpected 'g'.",
        "role:router               | Invalid selector 'role:router' at character 6: Unknown node role 'router'.",
        "client:a b                | Invalid selector 'client:a b' at character 10: unexpected 'b'.",
        "all()                     | Invalid selector 'all()' at character 5: expected a term",
        "all(tag:camera            | Invalid selector 'all(tag:camera' at character 15: expected ',' or ')' in all(...),"
                + " found the end of the text.",
        "none(tag:camera)          | Invalid selector 'none(tag:camera)' at character 1: unknown group 'none'.",
        "camera                    | Invalid selector 'camera' at character 1: expected a term such as 'tag:camera'",
    })
    void parseRejectsMalformedText(String text, String message) {
        InvalidPolicyException rejected = rejection(() -> Selector.parse(text));

        assertThat(rejected.field()).isEqualTo("selector");
        assertThat(rejected.reason()).startsWith(message);
    }

    @Test
    void parseRejectsMissingText() {
        InvalidPolicyException rejected = rejection(() -> Selector.parse(" "));

        assertThat(rejected.reason()).startsWith("The selector is missing.");
    }

    @Test
    void parseRejectsDeepNesting() {
        String text = "all(".repeat(Selector.MAX_NESTING + 1) + "tag:camera" + ")".repeat(Selector.MAX_NESTING + 1);

        InvalidPolicyException rejected = rejection(() -> Selector.parse(text));

        assertThat(rejected.reason()).contains("nests all(...) and any(...) 9 deep, more than the maximum of 8.");
    }

    @Test
    void constructorRejectsTooManyTerms() {
        List<Selector> terms = java.util.stream.IntStream.range(0, Selector.MAX_TERMS + 1)
                .mapToObj(i -> (Selector) new Selector.ByTag(Tag.of("t" + i))).toList();

        InvalidPolicyException rejected = rejection(() -> new Selector.AnyOf(terms));

        assertThat(rejected.reason()).startsWith("The selector has 65 terms, more than the maximum of 64.");
    }
}
