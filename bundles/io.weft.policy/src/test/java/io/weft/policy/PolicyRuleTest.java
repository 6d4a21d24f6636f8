package io.weft.policy;

import static io.weft.policy.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.DomainName;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyRuleTest {

    private static final DomainName PLANT1 = DomainName.of("plant1.east.acme.example");

    @ParameterizedTest
    @ValueSource(strings = {
        "domain:plant1.east.acme.example",
        "domain:line2.plant1.east.acme.example",
        "node:cam1.plant1.east.acme.example",
        "tag:camera",
        "client:ci-deployer",
        "all(tag:camera, domain:line2.plant1.east.acme.example)",
    })
    void acceptsSelectorsInsideDomain(String source) {
        PolicyRule rule = PolicyRule.of("R1", PLANT1, Selector.parse(source), Destination.service("ssh"), Action.ALLOW);

        assertThat(rule.source()).hasToString(source);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "domain:east.acme.example                | domain:east.acme.example",
        "domain:plant2.east.acme.example         | domain:plant2.east.acme.example",
        "node:gw1.east.acme.example              | node:gw1.east.acme.example",
        "any(tag:camera, domain:acme.example)    | domain:acme.example",
        "all(tag:camera, domain:acme.example)    | domain:acme.example",
    })
    void rejectsSourceOutsideDomain(String source, String term) {
        InvalidPolicyException rejected = rejection(() ->
                PolicyRule.of("R1", PLANT1, Selector.parse(source), Destination.service("ssh"), Action.ALLOW));

        assertThat(rejected.ruleId()).contains("R1");
        assertThat(rejected.field()).isEqualTo("source");
        assertThat(rejected.reason()).isEqualTo("The term '" + term + "' reaches outside the rule's attachment domain"
                + " plant1.east.acme.example. Attach the rule to a domain that contains "
                + term.substring(term.indexOf(':') + 1).replaceFirst("^gw1\\.", "")
                + ", or select only nodes inside plant1.east.acme.example.");
    }

    @Test
    void rejectsDestinationOutsideDomain() {
        InvalidPolicyException rejected = rejection(() -> PolicyRule.of("R1", PLANT1, Selector.parse("tag:ops"),
                Destination.parse("ssh on domain:west.acme.example"), Action.ALLOW));

        assertThat(rejected.field()).isEqualTo("destination.nodes");
        assertThat(rejected.reason()).startsWith("The term 'domain:west.acme.example' reaches outside");
    }

    @Test
    void rejectsClientAsDestination() {
        InvalidPolicyException rejected = rejection(() -> Destination.parse("ssh on any(tag:camera, client:ci)"));

        assertThat(rejected.field()).isEqualTo("destination.nodes");
        assertThat(rejected.reason()).contains("contains the client term 'client:ci', but a destination is always a node.");
    }

    @Test
    void rejectsPortsOnOperation() {
        InvalidPolicyException rejected = rejection(() -> PolicyRule.of("R1", PLANT1, Selector.parse("tag:ops"),
                Destination.parse("io.acme.camera/snapshot"), Action.ALLOW)
                .withPorts(Optional.empty(), List.of(PortRange.of(80))));

        assertThat(rejected.field()).isEqualTo("ports");
        assertThat(rejected.reason()).startsWith("The destination io.acme.camera/snapshot is an app operation, which has"
                + " no protocol or ports.");
    }

    @Test
    void reportsEveryProblemOfRule() {
        InvalidPolicyException rejected = rejection(() -> new PolicyRule("bad id!", PLANT1,
                Selector.parse("domain:acme.example"), Destination.parse("ssh on node:x.west.acme.example"),
                Action.DENY, Optional.empty(), List.of(), "tab\tok, bell\u0007 not", false));

        assertThat(rejected.problems()).extracting(PolicyProblem::field)
                .containsExactly("id", "description", "source", "destination.nodes");
        assertThat(rejected.problems()).allMatch(problem -> problem.ruleId().equals(Optional.of("bad id!")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "22         | 22    | 22",
        "8000-8080  | 8000  | 8080",
    })
    void portRangeParses(String text, int first, int last) {
        assertThat(PortRange.parse(text)).isEqualTo(new PortRange(first, last));
        assertThat(PortRange.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0          | Invalid port 0 in '0': a port is from 1 to 65535.",
        "65536      | Invalid port 65536 in '65536': a port is from 1 to 65535.",
        "80-22      | Invalid port range 80-22: the first port is higher than the last. Write the lower port first,"
                + " as in 22-80.",
        "http       | Invalid port range 'http': write a port such as '22' or a range such as '8000-8080'.",
        "1-2-3      | Invalid port range '1-2-3': write a port such as '22' or a range such as '8000-8080'.",
    })
    void portRangeRejects(String text, String message) {
        InvalidPolicyException rejected = rejection(() -> PortRange.parse(text));

        assertThat(rejected.field()).isEqualTo("ports");
        assertThat(rejected.reason()).isEqualTo(message);
    }

    @Test
    void destinationTextRoundTrips() {
        assertThat(Destination.parse("ssh on tag:camera")).hasToString("ssh on tag:camera");
        assertThat(Destination.parse("io.acme.camera/snapshot").endpoint()).isInstanceOf(AppOperation.class);
        assertThat(Destination.parse("SSH").endpoint()).isEqualTo(ServiceName.of("ssh"));
    }

    @Test
    void appOperationRejectsMissingSlash() {
        InvalidPolicyException rejected = rejection(() -> AppOperation.parse("camera"));

        assertThat(rejected.field()).isEqualTo("operation");
        assertThat(rejected.reason()).startsWith("Invalid app operation 'camera': write it as 'app/operation'");
    }
}
