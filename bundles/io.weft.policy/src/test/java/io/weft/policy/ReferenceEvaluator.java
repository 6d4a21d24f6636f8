package io.weft.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * docs/policy-precedence.md written as directly as possible, over a plain list of rules, to check the
 * indexed evaluation against.
 */
final class ReferenceEvaluator {

    private ReferenceEvaluator() {
    }

    static Decision decide(List<PolicyRule> rules, Flow flow) {
        List<PolicyRule> matching = rules.stream().filter(rule -> rule.appliesTo(flow)).toList();
        if (matching.isEmpty()) {
            return Decision.defaultDeny(flow);
        }

        Optional<Integer> guardrailLevel = matching.stream().filter(PolicyRule::guardrail)
                .map(rule -> rule.domain().depth()).min(Comparator.naturalOrder());
        int level = guardrailLevel.orElseGet(() -> matching.stream()
                .mapToInt(rule -> rule.domain().depth()).max().getAsInt());
        List<PolicyRule> atLevel = matching.stream().filter(rule -> rule.domain().depth() == level).toList();
        Action action = atLevel.stream().anyMatch(rule -> rule.action() == Action.DENY) ? Action.DENY : Action.ALLOW;

        PolicyRule deciding = atLevel.stream()
                .filter(rule -> rule.action() == action)
                .min(Comparator.comparing((PolicyRule rule) -> !rule.guardrail()).thenComparing(PolicyRule::id))
                .get();
        return Decision.byRule(deciding);
    }
}
