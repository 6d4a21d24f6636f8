package io.weft.manager.control.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.store.Node;

/** App deployments of a manager without apps: no node runs any, and the repository is empty. */
final class NoApps implements AppDeployments {

    static final AppDeployments INSTANCE = new NoApps();

    private NoApps() {
    }

    @Override
    public Run start(List<Node> nodes) {
        return node -> List.of();
    }

    @Override
    public Optional<Path> artifact(String sha256) {
        return Optional.empty();
    }

    @Override
    public void nodeReported(String nodeId, String reportJson) {
    }
}
