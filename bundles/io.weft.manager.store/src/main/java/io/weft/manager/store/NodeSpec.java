package io.weft.manager.store;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of a node that an operator sets, used to create a node or to replace them in an
 * update.
 *
 * @param name DNS label of the node, unique within its domain
 * @param domain name of the domain that the node belongs to
 * @param role part that the node plays in the mesh
 * @param tags labels that policies and queries select nodes by, iterated in sorted order
 * @param cluster name of the cluster whose services the node serves, if any
 * @param description free text for operators, empty when not set
 */
public record NodeSpec(String name, String domain, NodeRole role, Set<String> tags, Optional<String> cluster,
        String description) {

    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(description, "description");
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(tags, "tags")));
    }

    /** Returns a specification with no tags, no cluster and no description. */
    public static NodeSpec of(String name, String domain, NodeRole role) {
        return new NodeSpec(name, domain, role, Set.of(), Optional.empty(), "");
    }

    public NodeSpec withTags(Set<String> newTags) {
        return new NodeSpec(name, domain, role, newTags, cluster, description);
    }

    public NodeSpec withCluster(String newCluster) {
        return new NodeSpec(name, domain, role, tags, Optional.of(newCluster), description);
    }

    public NodeSpec withDescription(String newDescription) {
        return new NodeSpec(name, domain, role, tags, cluster, newDescription);
    }

    public NodeSpec withRole(NodeRole newRole) {
        return new NodeSpec(name, domain, newRole, tags, cluster, description);
    }

    public NodeSpec withName(String newName) {
        return new NodeSpec(newName, domain, role, tags, cluster, description);
    }
}
