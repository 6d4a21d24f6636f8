package io.weft.manager.apps.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.weft.control.state.AppDeployment;
import io.weft.manager.store.Node;

/**
 * The apps that nodes must run, as the desired state compiler reads them, and the reports of
 * the nodes, which drive staged rollouts.
 */
@ProviderType
public interface AppDeployments {

    /**
     * Reads the deployments once for one compilation and returns the apps of its nodes. A
     * node outside every target selector gets no app.
     */
    Run start(List<Node> nodes);

    /** The apps of the nodes of one compilation. */
    @FunctionalInterface
    interface Run {

        /** Returns the apps that the node must run, at most one version per app. Cheap: called for every node. */
        List<AppDeployment> deploymentsFor(Node node);

        /**
         * Returns where the node may call the apps that other nodes run: each Edge API app name
         * (the {@code weft.app} property of the app's operations) to the full names of the other
         * nodes that run or are about to run it, nearest by domain first, at most
         * {@value #MAX_LOCATIONS_PER_APP} per app. Cheap: called for every node.
         */
        default Map<String, List<String>> locationsFor(Node node) {
            return Map.of();
        }

        /**
         * Returns, for each Edge API app name, the full names of every node that runs or is
         * about to run it. A compilation of some nodes compares it with the last one to tell
         * whether the other nodes' locations changed too.
         */
        default Map<String, Set<String>> hostsByApp() {
            return Map.of();
        }
    }

    /** Maximum number of locations per app that a node gets, the nearest ones, because a call tries them in that order. */
    int MAX_LOCATIONS_PER_APP = 8;

    /** Returns the stored bundle file with this SHA-256, empty when the repository has none. */
    Optional<Path> artifact(String sha256);

    /**
     * Records what a node reported about its apps: the JSON object that the node sends in its
     * status under {@value #STATUS_KEY}. A report that completes a canary stage or halts a
     * rollout notifies the {@link DeploymentListener}s.
     */
    void nodeReported(String nodeId, String reportJson);

    /** Key of the node's status extension that carries its app report. */
    String STATUS_KEY = "deployments";
}
