package io.weft.control.state;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.weft.fleet.ClusterName;
import io.weft.fleet.Node;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;

/**
 * The role, tags and cluster of a node as the manager's fleet records store them, an entry of
 * a desired state's peer directory. An entry may carry only the tags and cluster that the receiving
 * node's rules select.
 *
 * @param name    the node's full name
 * @param role    edge or gateway
 * @param tags    at most {@value Node#MAX_TAGS} tags, kept sorted
 * @param cluster the node's cluster, if the node has one and the receiving node's rules name it
 */
public record PeerAttributes(NodeFullName name, NodeRole role, Set<Tag> tags, Optional<ClusterName> cluster) {

    public PeerAttributes {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        tags = Collections.unmodifiableSet(new TreeSet<>(Node.requireValidTags(tags)));
        Objects.requireNonNull(cluster, "cluster");
    }
}
