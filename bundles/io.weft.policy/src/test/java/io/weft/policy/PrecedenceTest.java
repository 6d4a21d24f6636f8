package io.weft.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.DomainName;
import io.weft.fleet.Tag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worked examples of docs/policy-precedence.md, one row each, in the notation of that page. */
class PrecedenceTest {

    private static final Pattern RULE = Pattern.compile(
            "(\\w+): (guardrail )?(allow|deny) at (\\S+)( \\(port 80\\))?");

    private static final Flow FLOW = new Flow(
            NodeSubject.edge("cam1.plant1.east.acme.example").withTags(Set.of(Tag.of("camera"))),
            NodeSubject.edge("gw1.plant1.east.acme.example"),
            ServiceTarget.tcp("ssh", 22));

    @ParameterizedTest(name = "example {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        " 1 | (none) | deny | (none)",
        " 2 | A: allow at acme.example | allow | A",
        " 3 | A: allow at acme.example; B: deny at acme.example | deny | B",
        " 4 | A: deny at acme.example; B: allow at east.acme.example | allow | B",
        " 5 | A: allow at acme.example; B: deny at plant1.east.acme.example | deny | B",
        " 6 | A: allow at acme.example; B: allow at east.acme.example; C: deny at plant1.east.acme.example | deny | C",
        " 7 | G: guardrail deny at acme.example; B: allow at plant1.east.acme.example | deny | G",
        " 8 | G: guardrail allow at acme.example; B: deny at plant1.east.acme.example | allow | G",
        " 9 | G1: guardrail allow at acme.example; G2: guardrail deny at east.acme.example | allow | G1",
        "10 | G1: guardrail deny at acme.example; G2: guardrail allow at east.acme.example;"
                + " B: allow at plant1.east.acme.example | deny | G1",
        "11 | G: guardrail allow at east.acme.example; B: deny at east.acme.example | deny | B",
        "12 | G: guardrail allow at east.acme.example; A: deny at acme.example | allow | G",
        "13 | A: deny at acme.example; G: guardrail allow at east.acme.example;"
                + " B: deny at plant1.east.acme.example | allow | G",
        "14 | G: guardrail deny at east.acme.example; H: deny at east.acme.example | deny | G",
        "15 | B2: deny at plant1.east.acme.example; B1: deny at plant1.east.acme.example | deny | B1",
        "16 | G1: guardrail allow at east.acme.example; G2: guardrail allow at east.acme.example;"
                + " B: allow at acme.example | allow | G1",
        "17 | A: allow at acme.example; B: deny at plant1.east.acme.example (port 80) | allow | A",
        "18 | A: allow at acme.example; B: deny at plant2.east.acme.example | allow | A",
        "19 | G: guardrail deny at acme.example (port 80); B: allow at plant1.east.acme.example | allow | B",
        "20 | B: deny at plant2.east.acme.example | deny | (none)",
    })
    void workedExample(int number, String rules, String decision, String decidingRule) {
        List<PolicyRule> parsed = rules(rules);

        Decision decided = Policy.of(parsed).decide(FLOW);

        assertThat(decided.action().id()).as("action of example %d", number).isEqualTo(decision);
        assertThat(decided.rule().map(RuleRef::id).orElse("(none)"))
                .as("deciding rule of example %d", number).isEqualTo(decidingRule);
    }

    @ParameterizedTest(name = "example {0} reversed")
    @CsvSource(delimiter = '|', value = {
        " 3 | A: allow at acme.example; B: deny at acme.example",
        "10 | G1: guardrail deny at acme.example; G2: guardrail allow at east.acme.example;"
                + " B: allow at plant1.east.acme.example",
        "15 | B2: deny at plant1.east.acme.example; B1: deny at plant1.east.acme.example",
    })
    void exampleIgnoresRuleOrder(int number, String rules) {
        List<PolicyRule> reversed = new ArrayList<>(rules(rules));
        Collections.reverse(reversed);

        Decision forward = Policy.of(rules(rules)).decide(FLOW);
        Decision backward = Policy.of(reversed).decide(FLOW);

        assertThat(backward).as("example %d", number).isEqualTo(forward);
    }

    /** Parses {@code ID: [guardrail] action at DOMAIN [(port 80)]; ...} into rules. */
    static List<PolicyRule> rules(String notation) {
        List<PolicyRule> rules = new ArrayList<>();
        if (notation.equals("(none)")) {
            return rules;
        }
        for (String part : notation.split(";")) {
            Matcher matcher = RULE.matcher(part.strip());
            assertThat(matcher.matches()).as("rule notation '%s'", part).isTrue();
            rules.add(rule(matcher));
        }
        return rules;
    }

    private static PolicyRule rule(Matcher matcher) {
        DomainName domain = DomainName.of(matcher.group(4));
        PolicyRule rule = PolicyRule.of(matcher.group(1), domain, new Selector.ByDomain(domain),
                Destination.service("ssh"), Action.parse(matcher.group(3)));
        if (matcher.group(5) != null) {
            rule = rule.withPorts(Optional.empty(), List.of(PortRange.of(80)));
        }
        return rule.withGuardrail(matcher.group(2) != null);
    }
}
