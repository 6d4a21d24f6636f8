package io.weft.manager.apps.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.manager.store.StoredDeployment;

/** The JSON forms of a deployment: its stored spec and its audit state. */
final class SpecJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecJson() {
    }

    static String write(DeploymentSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing a deployment spec as JSON failed", e);
        }
    }

    /** Reads a stored spec, which this class wrote. */
    static DeploymentSpec read(String json) {
        try {
            return JSON.readValue(json, DeploymentSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored deployment spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Returns the audit state of a deployment, null for none. */
    static String audit(StoredDeployment deployment) {
        if (deployment == null) {
            return null;
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("id", deployment.id());
        state.put("app", deployment.appName());
        state.put("version", deployment.appVersion());
        state.put("previousVersion", deployment.previousVersion().orElse(null));
        state.set("spec", JSON.valueToTree(read(deployment.specJson())));
        state.put("state", deployment.state());
        state.put("stateReason", deployment.stateReason().orElse(null));
        return state.toString();
    }
}
