package io.weft.manager.control.internal;

import io.weft.control.state.DesiredStateDocument;

/**
 * A node's desired state as one compilation produced it.
 *
 * @param nodeId   the node's id
 * @param revision the state's revision: a new one when the content changed, else the stored one
 * @param changed  whether the content differs from the stored state, so the revision is new
 * @param document the state with that revision, not yet signed
 */
record CompiledState(String nodeId, long revision, boolean changed, DesiredStateDocument document) {
}
