package io.weft.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of a policy for one flow: the action, the rule that decided it and a reason for
 * operators, such as {@code denied by guardrail G3 at acme.example: no SSH into cameras} or
 * {@code no rule allows node:a.x.example to reach service ssh (tcp/22) on node:b.y.example}.
 * Two decisions are equal when their action, rule and reason are.
 */
public final class Decision {

    private final Action action;
    private final Optional<RuleRef> rule;
    private final Flow unmatchedFlow;
    // Built on first use for a default denial, because most callers only read the action.
    // Strings are immutable, so a race between threads at worst builds the same text twice.
    private String reason;

    private Decision(Action action, Optional<RuleRef> rule, Flow unmatchedFlow, String reason) {
        this.action = action;
        this.rule = rule;
        this.unmatchedFlow = unmatchedFlow;
        this.reason = reason;
    }

    /** Returns the decision that {@code rule} makes for every flow it decides. */
    public static Decision byRule(PolicyRule rule) {
        String verb = rule.action() == Action.ALLOW ? "allowed by " : "denied by ";
        String description = rule.description().isEmpty() ? "" : ": " + rule.description();
        return new Decision(rule.action(), Optional.of(rule.ref()), null, verb + rule.ref() + description);
    }

    /** Returns the denial of a flow that no rule matches. */
    public static Decision defaultDeny(Flow flow) {
        return new Decision(Action.DENY, Optional.empty(), Objects.requireNonNull(flow, "flow"), null);
    }

    /**
     * Returns the denial of a flow whose peer a truncated peer directory does not list, when
     * {@code rule} could decide the flow and reads the peer's attributes.
     */
    public static Decision unknownPeer(NodeSubject peer, PolicyRule rule) {
        return new Decision(Action.DENY, Optional.of(rule.ref()), null, "denied because rule " + rule.ref()
                + " reads the role, tags or cluster of " + peer + ", which this node's truncated peer directory"
                + " does not list");
    }

    public Action action() {
        return action;
    }

    public boolean isAllowed() {
        return action == Action.ALLOW;
    }

    /** Returns the deciding rule, empty for the default denial. */
    public Optional<RuleRef> rule() {
        return rule;
    }

    /** Returns the reason in one line, naming the deciding rule or the flow that no rule allows. */
    public String reason() {
        String text = reason;
        if (text == null) {
            text = "no rule allows " + unmatchedFlow.source() + " to reach " + unmatchedFlow.target() + " on "
                    + unmatchedFlow.destination();
            reason = text;
        }
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Decision that
                && that.action == action
                && that.rule.equals(rule)
                && that.reason().equals(reason());
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, rule, reason());
    }

    /** Returns {@code deny (denied by guardrail G3 at acme.example: ...)}. */
    @Override
    public String toString() {
        return action.id() + " (" + reason() + ")";
    }
}
