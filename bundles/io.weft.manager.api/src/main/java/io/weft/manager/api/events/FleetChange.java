package io.weft.manager.api.events;

import java.util.Objects;

/**
 * The nodes that a committed change may affect: every node in a domain and its subdomains,
 * or one node.
 *
 * @param scope  whether {@code target} is a domain or a node
 * @param target the domain's name, such as {@code east.acme.example}, or the node's id, which
 *               its certificate carries
 */
public record FleetChange(Scope scope, String target) {

    /** Kind of target of a change. */
    public enum Scope {
        /** The domain and every domain below it, with all their nodes. */
        DOMAIN_SUBTREE,
        /** One node, which may no longer exist when the change deleted it. */
        NODE
    }

    public FleetChange {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(target, "target");
    }

    public static FleetChange domainSubtree(String domain) {
        return new FleetChange(Scope.DOMAIN_SUBTREE, domain);
    }

    public static FleetChange node(String nodeId) {
        return new FleetChange(Scope.NODE, nodeId);
    }
}
