package io.weft.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Comparison of a draft policy with the current one over a list of flows, before the draft is
 * applied.
 *
 * @param newlyDenied  the flows that the current policy allows and the draft denies, in input order
 * @param newlyAllowed the flows that the current policy denies and the draft allows, in input order
 */
public record DryRun(List<FlowChange> newlyDenied, List<FlowChange> newlyAllowed) {

    public DryRun {
        newlyDenied = List.copyOf(newlyDenied);
        newlyAllowed = List.copyOf(newlyAllowed);
    }

    /**
     * Decides every flow with both policies and keeps those whose action changes. A flow whose
     * deciding rule changes but whose action stays the same is not listed.
     */
    public static DryRun compare(Policy current, Policy draft, List<Flow> flows) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(draft, "draft");
        List<FlowChange> denied = new ArrayList<>();
        List<FlowChange> allowed = new ArrayList<>();
        for (Flow flow : flows) {
            Decision before = current.decide(flow);
            Decision after = draft.decide(flow);
            if (before.action() != after.action()) {
                (after.isAllowed() ? allowed : denied).add(new FlowChange(flow, before, after));
            }
        }
        return new DryRun(denied, allowed);
    }

    /** Compares the rules of two documents; their test cases play no part. */
    public static DryRun compare(PolicyDocument current, PolicyDocument draft, List<Flow> flows) {
        return compare(current.policy(), draft.policy(), flows);
    }

    /** Returns true when no flow changes its action. */
    public boolean isEmpty() {
        return newlyDenied.isEmpty() && newlyAllowed.isEmpty();
    }
}
