package io.weft.policy.internal;

import io.weft.fleet.DomainName;
import io.weft.policy.Action;
import io.weft.policy.Decision;
import io.weft.policy.Endpoint;
import io.weft.policy.Flow;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules indexed for evaluation by endpoint, then by attachment domain. A decision looks only
 * at the rules of the flow's endpoint that are attached to domains containing both nodes of
 * the flow, at most one lookup per label of the destination's domain.
 */
public final class PolicyIndex {

    /**
     * Order of the rules within one level: denials first, guardrails first, then by id. The
     * first rule of a level that matches is therefore the level's decision and attribution.
     */
    static final Comparator<PolicyRule> LEVEL_ORDER = Comparator
            .comparing((PolicyRule rule) -> rule.action() == Action.DENY ? 0 : 1)
            .thenComparing(rule -> rule.guardrail() ? 0 : 1)
            .thenComparing(PolicyRule::id);

    private final Map<Endpoint, Map<DomainName, Level>> levelsByEndpoint;
    private final DomainChains chains = new DomainChains();

    private PolicyIndex(Map<Endpoint, Map<DomainName, Level>> levelsByEndpoint) {
        this.levelsByEndpoint = levelsByEndpoint;
    }

    /** Indexes rules whose ids are unique. */
    public static PolicyIndex of(List<PolicyRule> rules) {
        Map<Endpoint, Map<DomainName, List<PolicyRule>>> grouped = new HashMap<>();
        for (PolicyRule rule : rules) {
            grouped.computeIfAbsent(rule.destination().endpoint(), endpoint -> new HashMap<>())
                    .computeIfAbsent(rule.domain(), domain -> new ArrayList<>())
                    .add(rule);
        }

        Map<Endpoint, Map<DomainName, Level>> levels = new HashMap<>();
        grouped.forEach((endpoint, byDomain) -> {
            Map<DomainName, Level> endpointLevels = new HashMap<>();
            byDomain.forEach((domain, levelRules) -> endpointLevels.put(domain, Level.of(levelRules)));
            levels.put(endpoint, endpointLevels);
        });
        return new PolicyIndex(levels);
    }

    /**
     * Decides a flow. The shallowest level with a matching guardrail decides, or else the
     * deepest level with a matching rule. Within that level a denial wins. A flow that no rule
     * matches is denied.
     */
    public Decision decide(Flow flow) {
        Map<DomainName, Level> levels = levelsByEndpoint.get(flow.target().endpoint());
        if (levels == null) {
            return Decision.defaultDeny(flow);
        }

        DomainName sourceDomain = flow.source() instanceof NodeSubject node ? node.domain() : null;
        Decision deepest = null;
        Decision shallowestGuardrail = null;
        // The chain runs from the destination's own domain up to its top-level label.
        for (DomainName domain : chains.chainOf(flow.destination().domain())) {
            Level level = levels.get(domain);
            if (level == null || (sourceDomain != null && !sourceDomain.isWithin(domain))) {
                continue;
            }
            int first = level.firstMatch(flow);
            if (first < 0) {
                continue;
            }
            if (deepest == null) {
                deepest = level.decisions[first];
            }
            if (level.hasMatchingGuardrail(flow, first)) {
                shallowestGuardrail = level.decisions[first];
            }
        }

        if (shallowestGuardrail != null) {
            return shallowestGuardrail;
        }
        return deepest != null ? deepest : Decision.defaultDeny(flow);
    }

    /** The rules of one endpoint attached to one domain, in {@link #LEVEL_ORDER}. */
    private static final class Level {
        final PolicyRule[] rules;
        final Decision[] decisions;
        final int[] guardrails;

        private Level(PolicyRule[] rules, Decision[] decisions, int[] guardrails) {
            this.rules = rules;
            this.decisions = decisions;
            this.guardrails = guardrails;
        }

        static Level of(List<PolicyRule> unordered) {
            PolicyRule[] rules = unordered.stream().sorted(LEVEL_ORDER).toArray(PolicyRule[]::new);
            Decision[] decisions = new Decision[rules.length];
            List<Integer> guardrails = new ArrayList<>();
            for (int i = 0; i < rules.length; i++) {
                decisions[i] = Decision.byRule(rules[i]);
                if (rules[i].guardrail()) {
                    guardrails.add(i);
                }
            }
            return new Level(rules, decisions, guardrails.stream().mapToInt(Integer::intValue).toArray());
        }

        int firstMatch(Flow flow) {
            for (int i = 0; i < rules.length; i++) {
                if (rules[i].matchesInScope(flow)) {
                    return i;
                }
            }
            return -1;
        }

        boolean hasMatchingGuardrail(Flow flow, int firstMatch) {
            if (rules[firstMatch].guardrail()) {
                return true;
            }
            for (int i : guardrails) {
                if (i > firstMatch && rules[i].matchesInScope(flow)) {
                    return true;
                }
            }
            return false;
        }
    }
}
