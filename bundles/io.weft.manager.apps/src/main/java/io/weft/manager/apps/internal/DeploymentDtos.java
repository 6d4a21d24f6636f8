package io.weft.manager.apps.internal;

import java.util.List;

import io.weft.manager.apps.internal.DeploymentSpec.Canary;
import io.weft.manager.apps.internal.DeploymentSpec.FailureThreshold;
import io.weft.manager.apps.internal.DeploymentSpec.Target;

/** JSON bodies of the {@code /api/v1/deployments} resource. */
public final class DeploymentDtos {

    private DeploymentDtos() {
    }

    /**
     * A deployment to create or replace.
     *
     * @param id               the id of a new deployment, generated when null; ignored on replace
     * @param app              the app's symbolic name
     * @param version          the app version to roll out
     * @param target           the nodes that run the app
     * @param canary           the nodes that get a new version first, or null
     * @param failureThreshold the failures that halt the rollout, or null
     */
    public record DeploymentRequest(String id, String app, String version, Target target, Canary canary,
            FailureThreshold failureThreshold) {
    }

    /**
     * One target node of a deployment.
     *
     * @param stage           {@code canary} or {@code rest}
     * @param desiredVersion  the version that the node's desired state names, null for none
     * @param state           the node's last report: pending, downloading, installed, failed or rolled-back
     * @param reportedVersion the version that the report is about, null before the first report
     * @param error           the reason of a failure or rollback, null otherwise
     */
    public record DeploymentNodeDto(String nodeId, String node, String stage, String desiredVersion, String state,
            String reportedVersion, String error) {
    }

    /**
     * A deployment with the state of each target node.
     *
     * @param previousVersion the version that nodes outside the current stage keep, null for a first rollout
     * @param state           {@code active} or {@code halted}
     * @param stateReason     why the rollout halted, null while active
     * @param createdAt       time of creation as an ISO-8601 instant
     * @param updatedAt       time of the last change as an ISO-8601 instant
     */
    public record DeploymentDto(String id, String app, String version, String previousVersion, Target target,
            Canary canary, FailureThreshold failureThreshold, String state, String stateReason, long revision,
            String createdAt, String updatedAt, List<DeploymentNodeDto> nodes) {
    }

    /** Every deployment that the caller may read, in creation order. */
    public record DeploymentListDto(List<DeploymentDto> items) {
    }
}
