package io.weft.node.edge.internal;

import io.weft.fleet.DomainName;

/**
 * How far a node's domain is from this node's domain, in the order in which a forwarded call
 * tries nodes: this node's domain and its subdomains first, then the subtree of its parent, and
 * so on up the tree. Within one step, the shallower domain comes first. The manager orders the
 * locations that it sends the same way, in {@code io.weft.manager.apps}.
 */
record DomainDistance(int levelsUp, int depth) implements Comparable<DomainDistance> {

    /** Returns the distance from a caller in domain {@code from} to a node in domain {@code to}. */
    static DomainDistance between(DomainName from, DomainName to) {
        int levelsUp = 0;
        DomainName ancestor = from;
        while (ancestor != null && !to.isWithin(ancestor)) {
            ancestor = ancestor.parent().orElse(null);
            levelsUp++;
        }
        return new DomainDistance(levelsUp, to.depth());
    }

    @Override
    public int compareTo(DomainDistance other) {
        int byLevels = Integer.compare(levelsUp, other.levelsUp);
        return byLevels != 0 ? byLevels : Integer.compare(depth, other.depth);
    }
}
