package io.weft.manager.access;

import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import java.util.Objects;
import java.util.Optional;

/**
 * Object that a request reads or changes, located in the domain tree: the whole fleet, a
 * domain, or a node. A node is located in its domain, so a grant scoped to
 * {@code plant1.east.acme.example} covers the node {@code gw1.plant1.east.acme.example}.
 */
public final class AccessTarget {

    private static final AccessTarget FLEET = new AccessTarget(null, "the whole fleet");

    private final DomainName domain;
    private final String description;

    private AccessTarget(DomainName domain, String description) {
        this.domain = domain;
        this.description = description;
    }

    /**
     * Returns the target for objects that belong to no domain, such as the certificate
     * authority or the list of all domains. Only unscoped grants cover it.
     */
    public static AccessTarget fleet() {
        return FLEET;
    }

    /** Returns the target for a domain and everything stored under it. */
    public static AccessTarget domain(DomainName domain) {
        Objects.requireNonNull(domain, "domain");
        return new AccessTarget(domain, "domain '" + domain + "'");
    }

    /** Returns the target for one node, located in its domain. */
    public static AccessTarget node(NodeFullName node) {
        Objects.requireNonNull(node, "node");
        return new AccessTarget(node.domain(), "node '" + node + "'");
    }

    /** Returns the domain that locates the target, or empty for the whole fleet. */
    public Optional<DomainName> domain() {
        return Optional.ofNullable(domain);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccessTarget && ((AccessTarget) other).description.equals(description);
    }

    @Override
    public int hashCode() {
        return description.hashCode();
    }

    /** Returns a description for messages, such as {@code node 'gw1.east.acme.example'}. */
    @Override
    public String toString() {
        return description;
    }
}
