package io.weft.manager.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stored node.
 *
 * @param id identifier that the store assigned, stable across renames
 * @param name DNS label of the node, unique within its domain
 * @param domain name of the domain that the node belongs to
 * @param role part that the node plays in the mesh
 * @param tags labels that policies and queries select nodes by, iterated in sorted order
 * @param cluster name of the cluster whose services the node serves, if any
 * @param description free text for operators, empty when not set
 * @param state enrollment state
 * @param lastSeen time the manager last heard from the node, if ever
 * @param version incremented by every change except {@link FleetStore#recordLastSeen}
 * @param createdAt time the node was created
 * @param updatedAt time of the last versioned change
 */
public record Node(String id, String name, String domain, NodeRole role, Set<String> tags,
        Optional<String> cluster, String description, NodeState state, Optional<Instant> lastSeen,
        long version, Instant createdAt, Instant updatedAt) {

    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(tags, "tags")));
    }

    /** Returns {@code <name>.<domain>}, the name that appears in the node's certificate. */
    public String fullName() {
        return name + "." + domain;
    }

    /** Returns the operator-set fields, as a starting point for an update. */
    public NodeSpec spec() {
        return new NodeSpec(name, domain, role, tags, cluster, description);
    }
}
