package io.weft.node.apps.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.control.state.AppDeployment;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The status of each app, and its JSON form that the node sends to the manager under the
 * status extension {@code deployments}: an object keyed by app name with the deployment id,
 * version, state and error of each.
 */
final class AppReports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> publisher;
    private final Clock clock;
    private final Map<String, AppStatus> statuses = new TreeMap<>();
    private volatile List<AppStatus> snapshot = List.of();

    AppReports(Consumer<String> publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    AppStatus set(AppDeployment deployment, String state, String error, String runningVersion) {
        AppStatus status = new AppStatus(deployment.app(), deployment.deploymentId(), deployment.version(), state,
                error, runningVersion, clock.instant().toString());
        statuses.put(deployment.app(), status);
        snapshot = List.copyOf(statuses.values());
        return status;
    }

    void restore(AppStatus status) {
        if (status != null) {
            statuses.put(status.app(), status);
            snapshot = List.copyOf(statuses.values());
        }
    }

    void remove(String app) {
        statuses.remove(app);
        snapshot = List.copyOf(statuses.values());
    }

    /** Returns the statuses; safe to call from any thread. */
    List<AppStatus> all() {
        return snapshot;
    }

    /** Sends the current report to the manager. */
    void publish() {
        ObjectNode report = JSON.createObjectNode();
        for (AppStatus status : statuses.values()) {
            ObjectNode entry = report.putObject(status.app());
            entry.put("deploymentId", status.deploymentId());
            entry.put("version", status.version());
            entry.put("state", status.state());
            entry.put("error", status.error());
            entry.put("runningVersion", status.runningVersion());
            entry.put("updatedAt", status.updatedAt());
        }
        publisher.accept(report.toString());
    }
}
