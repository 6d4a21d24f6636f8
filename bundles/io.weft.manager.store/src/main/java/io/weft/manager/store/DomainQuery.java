package io.weft.manager.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Filter and page of a domain listing. Results are ordered by name in the database's
 * collation.
 *
 * @param subtree a domain: only it and its subdomains match
 * @param after cursor from {@link Page#nextCursor()} of the previous page, empty for the first page
 * @param limit maximum number of domains on the page, 1 to {@value #MAX_LIMIT}
 */
public record DomainQuery(Optional<String> subtree, Optional<String> after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public DomainQuery {
        Objects.requireNonNull(subtree, "subtree");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("Invalid limit " + limit + ": expected 1 to " + MAX_LIMIT);
        }
    }

    /** Returns a query for the first {@value #DEFAULT_LIMIT} domains, unfiltered. */
    public static DomainQuery all() {
        return new DomainQuery(Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
    }

    public DomainQuery inSubtree(String domain) {
        return new DomainQuery(Optional.of(domain), after, limit);
    }

    public DomainQuery after(String cursor) {
        return new DomainQuery(subtree, Optional.of(cursor), limit);
    }

    public DomainQuery withLimit(int newLimit) {
        return new DomainQuery(subtree, after, newLimit);
    }
}
