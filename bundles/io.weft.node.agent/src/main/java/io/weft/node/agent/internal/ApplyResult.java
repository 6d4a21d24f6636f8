package io.weft.node.agent.internal;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Outcome of applying a desired state to Configuration Admin.
 *
 * @param created     configurations that Weft created
 * @param updated     Weft-owned configurations whose properties changed
 * @param deleted     Weft-owned configurations that the state no longer lists
 * @param unchanged   Weft-owned configurations that already had the desired properties
 * @param skippedPids PIDs of the state that exist without Weft's owner mark and stay untouched
 */
record ApplyResult(int created, int updated, int deleted, int unchanged, SortedSet<String> skippedPids) {

    ApplyResult {
        skippedPids = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(skippedPids));
    }

    static ApplyResult nothing() {
        return new ApplyResult(0, 0, 0, 0, new TreeSet<>(Set.of()));
    }
}
