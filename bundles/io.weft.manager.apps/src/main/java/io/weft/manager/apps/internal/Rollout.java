package io.weft.manager.apps.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.weft.manager.apps.internal.NodeReports.AppReport;
import io.weft.manager.store.Node;
import io.weft.manager.store.StoredDeployment;

/**
 * The state of one deployment's rollout across its target nodes: which stage each node is in,
 * which version it must run, and whether the rollout must halt.
 *
 * <p>Without a canary every target node runs the deployment's version. With one, the canary
 * nodes run it first, and the other nodes keep the previous version (or no version) until every
 * canary node reported it installed. A halted rollout keeps the version on the nodes that
 * installed it and the previous version everywhere else.
 */
final class Rollout {

    static final String CANARY = "canary";
    static final String REST = "rest";

    /** The stage, desired version and last report of one target node. */
    record NodePlan(Node node, String stage, Optional<String> desiredVersion, Optional<AppReport> report) {
    }

    private final StoredDeployment deployment;
    private final DeploymentSpec spec;
    private final List<Node> targets;
    private final NodeReports reports;
    private final Set<String> canaries;

    /** @param targets the target nodes in any order */
    Rollout(StoredDeployment deployment, DeploymentSpec spec, List<Node> targets, NodeReports reports) {
        this.deployment = deployment;
        this.spec = spec;
        this.targets = targets.stream().sorted(Comparator.comparing(Node::fullName)).toList();
        this.reports = reports;
        this.canaries = canaryIds();
    }

    /** Returns whether every canary node reported the deployment's version installed; true without a canary. */
    boolean canaryComplete() {
        return targets.stream().filter(node -> canaries.contains(node.id())).allMatch(this::installedVersion);
    }

    List<NodePlan> plans() {
        boolean canaryDone = canaryComplete();
        boolean halted = StoredDeployment.HALTED.equals(deployment.state());
        List<NodePlan> plans = new ArrayList<>(targets.size());
        for (Node node : targets) {
            boolean canary = canaries.contains(node.id());
            boolean current = halted ? installedVersion(node) : canary || canaryDone;
            Optional<String> version = current ? Optional.of(deployment.appVersion()) : deployment.previousVersion();
            plans.add(new NodePlan(node, canary ? CANARY : REST, version, report(node)));
        }
        return plans;
    }

    /** Returns why the rollout must halt, empty while its failures stay within the threshold. */
    Optional<String> haltReason() {
        List<String> failed = targets.stream().filter(this::failedVersion)
                .map(node -> node.fullName() + ": " + report(node).map(AppReport::error).orElse("no reason"))
                .toList();
        if (spec.failureThreshold() == null || !spec.failureThreshold().exceededBy(failed.size(), targets.size())) {
            return Optional.empty();
        }
        return Optional.of(failed.size() + " of " + targets.size() + " target nodes failed version "
                + deployment.appVersion() + ", more than the failure threshold: "
                + failed.stream().limit(5).collect(Collectors.joining("; ")));
    }

    private Optional<AppReport> report(Node node) {
        return reports.of(node.id(), deployment.appName());
    }

    private boolean installedVersion(Node node) {
        return report(node).filter(report -> deployment.appVersion().equals(report.version())
                && AppReport.INSTALLED.equals(report.state())).isPresent();
    }

    private boolean failedVersion(Node node) {
        return report(node).filter(report -> deployment.appVersion().equals(report.version()) && report.failed())
                .isPresent();
    }

    private Set<String> canaryIds() {
        if (spec.canary() == null) {
            return Set.of();
        }
        if (!spec.canary().nodes().isEmpty()) {
            return targets.stream().filter(node -> spec.canary().nodes().contains(node.fullName())).map(Node::id)
                    .collect(Collectors.toSet());
        }
        return targets.stream().limit(spec.canary().count()).map(Node::id).collect(Collectors.toSet());
    }
}
