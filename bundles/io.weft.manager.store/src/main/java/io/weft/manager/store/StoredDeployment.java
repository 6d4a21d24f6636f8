package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A deployment of one app version to the nodes of a target selector.
 *
 * @param id              the deployment's id
 * @param appName         the deployed bundle's symbolic name
 * @param appVersion      the version that the rollout sends
 * @param previousVersion the version that nodes outside the current rollout stage keep, empty for a first rollout
 * @param specJson        JSON of the target selector and rollout settings, which the store does not interpret
 * @param state           {@link #ACTIVE} or {@link #HALTED}
 * @param stateReason     why the rollout halted, empty while it is active
 * @param version         1 after creation, incremented by every change
 * @param createdAt       time of creation
 * @param updatedAt       time of the last change
 */
public record StoredDeployment(String id, String appName, String appVersion, Optional<String> previousVersion,
        String specJson, String state, Optional<String> stateReason, long version, Instant createdAt,
        Instant updatedAt) {

    /** State of a rollout that goes on. */
    public static final String ACTIVE = "active";
    /** State of a rollout that stopped because too many nodes failed. */
    public static final String HALTED = "halted";

    public StoredDeployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(appVersion, "appVersion");
        Objects.requireNonNull(previousVersion, "previousVersion");
        Objects.requireNonNull(specJson, "specJson");
        Objects.requireNonNull(stateReason, "stateReason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!ACTIVE.equals(state) && !HALTED.equals(state)) {
            throw new IllegalArgumentException("deployment state '" + state + "' is invalid: expected " + ACTIVE
                    + " or " + HALTED);
        }
    }
}
