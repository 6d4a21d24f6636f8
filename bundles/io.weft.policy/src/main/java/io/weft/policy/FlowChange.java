package io.weft.policy;

import java.util.Objects;

/**
 * Flow whose action differs between two policies.
 *
 * @param flow   the flow
 * @param before the current policy's decision
 * @param after  the draft policy's decision
 */
public record FlowChange(Flow flow, Decision before, Decision after) {

    public FlowChange {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    @Override
    public String toString() {
        return flow + ": " + before + " -> " + after;
    }
}
