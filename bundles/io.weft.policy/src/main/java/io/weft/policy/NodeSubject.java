package io.weft.policy;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.Node;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The attributes of a node that selectors read: the source or destination node of a flow.
 *
 * @param name    the full name, whose domain places the node in the tree
 * @param role    edge or gateway
 * @param tags    the node's tags, at most {@value Node#MAX_TAGS}
 * @param cluster the cluster the node serves, if any
 */
public record NodeSubject(NodeFullName name, NodeRole role, Set<Tag> tags, Optional<ClusterName> cluster)
        implements Subject {

    public NodeSubject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        tags = Set.copyOf(Node.requireValidTags(tags));
        Objects.requireNonNull(cluster, "cluster");
    }

    /** Returns the attributes of a fleet record. */
    public static NodeSubject of(Node node) {
        return new NodeSubject(node.name(), node.role(), node.tags(), node.cluster());
    }

    /** Returns an edge node without tags or cluster. */
    public static NodeSubject edge(String fullName) {
        return new NodeSubject(NodeFullName.parse(fullName), NodeRole.EDGE, Set.of(), Optional.empty());
    }

    public DomainName domain() {
        return name.domain();
    }

    public NodeSubject withTags(Set<Tag> newTags) {
        return new NodeSubject(name, role, newTags, cluster);
    }

    public NodeSubject withRole(NodeRole newRole) {
        return new NodeSubject(name, newRole, tags, cluster);
    }

    public NodeSubject withCluster(ClusterName newCluster) {
        return new NodeSubject(name, role, tags, Optional.of(newCluster));
    }

    /** Returns {@code node:<full name>}. */
    @Override
    public String toString() {
        return "node:" + name;
    }
}
