package io.weft.fleet;

/**
 * How far a node's domain is from a caller's domain: the caller's domain and its subdomains
 * first, then the subtree of its parent, and so on up the tree. Within one step, the shallower
 * domain comes first. The manager orders the app locations it sends to nodes by this distance,
 * and a node tries those locations in the same order.
 *
 * @param levelsUp how many levels above the caller's domain the common subtree starts
 * @param depth    the depth of the node's domain
 */
public record DomainDistance(int levelsUp, int depth) implements Comparable<DomainDistance> {

    /** Returns the distance from a caller in domain {@code from} to a node in domain {@code to}. */
    public static DomainDistance between(DomainName from, DomainName to) {
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
