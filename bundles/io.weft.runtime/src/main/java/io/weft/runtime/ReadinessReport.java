package io.weft.runtime;

import java.util.List;
import java.util.Objects;

/**
 * Snapshot of a process's readiness.
 *
 * @param role       {@code node} or {@code manager}
 * @param version    the Weft release, such as {@code 0.1.0-SNAPSHOT}
 * @param commit     the source commit the bundles were built from, {@code unknown} when the
 *                   build had no Git metadata
 * @param ready      true when {@code problems} is empty
 * @param components every Weft component with its state
 * @param problems   one human-readable line for each reason the process is not ready
 */
public record ReadinessReport(
        String role,
        String version,
        String commit,
        boolean ready,
        List<ComponentState> components,
        List<String> problems) {

    public ReadinessReport {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(commit, "commit");
        components = List.copyOf(components);
        problems = List.copyOf(problems);
        if (ready != problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "ready is " + ready + " but there are " + problems.size() + " problems");
        }
    }
}
