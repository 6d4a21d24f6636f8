package io.weft.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.DomainName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of decisions over random policies. Each trial draws a fleet, rules and flows from
 * its own seed, which every assertion message repeats.
 */
class PolicyPropertiesTest {

    private static final int TRIALS = 200;
    private static final int RULES = 40;
    private static final int FLOWS = 100;

    @Test
    void indexedDecisionsMatchReference() {
        for (long seed = 0; seed < TRIALS; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            List<PolicyRule> rules = random.rules(RULES);
            Policy policy = Policy.of(rules);

            for (Flow flow : random.flows(FLOWS)) {
                assertThat(policy.decide(flow)).as("seed %d, flow %s", seed, flow)
                        .isEqualTo(ReferenceEvaluator.decide(rules, flow));
            }
        }
    }

    @Test
    void addingDenyNeverGrantsAccess() {
        for (long seed = 0; seed < TRIALS; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            List<PolicyRule> rules = random.rules(RULES);
            List<PolicyRule> withDeny = new ArrayList<>(rules);
            withDeny.add(random.rule(random.pick(random.domains), Action.DENY, random.random.nextBoolean()));
            Policy before = Policy.of(rules);
            Policy after = Policy.of(withDeny);

            for (Flow flow : random.flows(FLOWS)) {
                if (!before.decide(flow).isAllowed()) {
                    assertThat(after.decide(flow).action()).as("seed %d, flow %s", seed, flow).isEqualTo(Action.DENY);
                }
            }
        }
    }

    @Test
    void deeperRuleNeverOverridesGuardrail() {
        int guardedFlows = 0;
        for (long seed = 0; seed < TRIALS; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            List<PolicyRule> rules = random.rules(RULES);
            Policy policy = Policy.of(rules);

            for (Flow flow : random.flows(FLOWS)) {
                Decision decided = policy.decide(flow);
                if (decided.rule().isPresent() && decided.rule().get().guardrail()) {
                    guardedFlows++;
                    assertDeeperRulesChangeNothing(random, rules, flow, decided, seed);
                }
            }
        }
        assertThat(guardedFlows).as("flows decided by a guardrail").isGreaterThan(100);
    }

    private static void assertDeeperRulesChangeNothing(
            RandomPolicies random, List<PolicyRule> rules, Flow flow, Decision decided, long seed) {
        DomainName guardrailDomain = decided.rule().get().domain();
        List<DomainName> deeper = random.domains.stream()
                .filter(d -> d.isWithin(guardrailDomain) && !d.equals(guardrailDomain)).toList();
        if (deeper.isEmpty()) {
            return;
        }
        List<PolicyRule> extended = new ArrayList<>(rules);
        for (int i = 0; i < 5; i++) {
            Action action = random.random.nextBoolean() ? Action.ALLOW : Action.DENY;
            extended.add(random.rule(random.pick(deeper), action, random.random.nextBoolean()));
        }

        Decision after = Policy.of(extended).decide(flow);

        assertThat(after.action()).as("seed %d, flow %s", seed, flow).isEqualTo(decided.action());
        assertThat(after.rule()).as("seed %d, flow %s", seed, flow).isEqualTo(decided.rule());
    }

    @Test
    void decisionsIgnoreRuleOrder() {
        for (long seed = 0; seed < TRIALS; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            List<PolicyRule> rules = random.rules(RULES);
            List<PolicyRule> shuffled = new ArrayList<>(rules);
            Collections.shuffle(shuffled, new Random(seed));
            Policy policy = Policy.of(rules);
            Policy shuffledPolicy = Policy.of(shuffled);

            for (Flow flow : random.flows(FLOWS)) {
                assertThat(shuffledPolicy.decide(flow)).as("seed %d, flow %s", seed, flow).isEqualTo(policy.decide(flow));
            }
        }
    }

    @Test
    void compiledSubsetDecidesLikeFullPolicy() {
        for (long seed = 0; seed < TRIALS / 4; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 40);
            Policy policy = Policy.of(random.rules(RULES * 2));
            CompiledPolicy compiled = policy.compile(random.nodes);

            for (NodeSubject node : random.nodes) {
                Policy subset = compiled.policyFor(node.name());
                for (int i = 0; i < 20; i++) {
                    Flow asSource = random.flow(node, random.pick(random.nodes));
                    Flow asDestination = random.flow(random.random.nextInt(4) == 0
                            ? ClientSubject.of(random.pick(RandomPolicies.CLIENTS)) : random.pick(random.nodes), node);
                    assertThat(subset.decide(asSource)).as("seed %d, flow %s", seed, asSource)
                            .isEqualTo(policy.decide(asSource));
                    assertThat(subset.decide(asDestination)).as("seed %d, flow %s", seed, asDestination)
                            .isEqualTo(policy.decide(asDestination));
                }
            }
        }
    }

    @Test
    void compiledSubsetsLeaveOutForeignRules() {
        RandomPolicies random = new RandomPolicies(7, 40);
        Policy policy = Policy.of(random.rules(RULES * 2));

        CompiledPolicy compiled = policy.compile(random.nodes);

        for (NodeSubject node : random.nodes) {
            List<PolicyRule> subset = compiled.rulesFor(node.name());
            assertThat(subset).as("subset of %s", node).allMatch(rule -> node.domain().isWithin(rule.domain()));
            assertThat(subset).as("subset of %s", node).allMatch(rule -> rule.canConcern(node));
            assertThat(policy.rules().stream().filter(rule -> rule.canConcern(node)))
                    .as("rules that concern %s", node).hasSameSizeAs(subset);
        }
        assertThat(compiled.totalRuleCount()).isLessThan((long) policy.rules().size() * random.nodes.size());
    }
}
