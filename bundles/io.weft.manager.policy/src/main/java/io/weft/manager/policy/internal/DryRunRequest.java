package io.weft.manager.policy.internal;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A draft policy document and the flows to decide with it and with the stored policy.
 *
 * @param document the draft, in the form of the stored document
 * @param flows    at most {@value PolicyService#MAX_DRY_RUN_FLOWS} flows, or null for the distinct flows that
 *     nodes recorded most recently, as many and as far as the caller may read their nodes
 */
public record DryRunRequest(ObjectNode document, List<FlowRequest> flows) {
}
