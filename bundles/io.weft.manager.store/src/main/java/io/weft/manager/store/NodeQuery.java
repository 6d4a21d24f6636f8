package io.weft.manager.store;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Filter and page of a node listing. Results are ordered by full name
 * ({@code <name>.<domain>}) in the database's collation, and every filter that is set must
 * match.
 *
 * @param subtree a domain: only nodes in it or in its subdomains match
 * @param tags tags that a node must all carry
 * @param role only nodes with this role match
 * @param state only nodes in this state match
 * @param after cursor from {@link Page#nextCursor()} of the previous page, empty for the first page
 * @param limit maximum number of nodes on the page, 1 to {@value #MAX_LIMIT}
 */
public record NodeQuery(Optional<String> subtree, Set<String> tags, Optional<NodeRole> role,
        Optional<NodeState> state, Optional<String> after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public NodeQuery {
        Objects.requireNonNull(subtree, "subtree");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(after, "after");
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(tags, "tags")));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("Invalid limit " + limit + ": expected 1 to " + MAX_LIMIT);
        }
    }

    /** Returns a query for the first {@value #DEFAULT_LIMIT} nodes, unfiltered. */
    public static NodeQuery all() {
        return new NodeQuery(Optional.empty(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_LIMIT);
    }

    public NodeQuery inSubtree(String domain) {
        return new NodeQuery(Optional.of(domain), tags, role, state, after, limit);
    }

    /** Returns this query with one more tag that nodes must carry. */
    public NodeQuery withTag(String tag) {
        Set<String> more = new TreeSet<>(tags);
        more.add(tag);
        return new NodeQuery(subtree, more, role, state, after, limit);
    }

    public NodeQuery withRole(NodeRole newRole) {
        return new NodeQuery(subtree, tags, Optional.of(newRole), state, after, limit);
    }

    public NodeQuery withState(NodeState newState) {
        return new NodeQuery(subtree, tags, role, Optional.of(newState), after, limit);
    }

    public NodeQuery after(String cursor) {
        return new NodeQuery(subtree, tags, role, state, Optional.of(cursor), limit);
    }

    public NodeQuery withLimit(int newLimit) {
        return new NodeQuery(subtree, tags, role, state, after, newLimit);
    }
}
