package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filter and page of an audit log listing, ordered by sequence number. The filters combine
 * with AND.
 *
 * @param actor        only entries of this actor
 * @param action       only entries of this action, such as {@code node.update}
 * @param targetPrefix only entries whose target starts with this text
 * @param from         only entries recorded at or after this time
 * @param until        only entries recorded before this time
 * @param newestFirst  true for descending sequence numbers, false for ascending ones
 * @param after        cursor from {@link Page#nextCursor()} of the previous page, empty for the
 *                     first page. It is the sequence number of the last entry of that page.
 * @param limit        maximum number of entries on the page, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(Optional<String> actor, Optional<String> action, Optional<String> targetPrefix,
        Optional<Instant> from, Optional<Instant> until, boolean newestFirst, Optional<String> after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetPrefix, "targetPrefix");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("Invalid limit " + limit + ": expected 1 to " + MAX_LIMIT);
        }
    }

    /** Returns a query for the first {@value #DEFAULT_LIMIT} entries, oldest first, unfiltered. */
    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), DEFAULT_LIMIT);
    }

    public AuditQuery byActor(String value) {
        return new AuditQuery(Optional.of(value), action, targetPrefix, from, until, newestFirst, after, limit);
    }

    public AuditQuery byAction(String value) {
        return new AuditQuery(actor, Optional.of(value), targetPrefix, from, until, newestFirst, after, limit);
    }

    public AuditQuery byTargetPrefix(String value) {
        return new AuditQuery(actor, action, Optional.of(value), from, until, newestFirst, after, limit);
    }

    /** Returns this query restricted to entries recorded at or after {@code start} and before {@code end}. */
    public AuditQuery between(Instant start, Instant end) {
        return new AuditQuery(actor, action, targetPrefix, Optional.of(start), Optional.of(end), newestFirst, after,
                limit);
    }

    public AuditQuery inNewestFirstOrder() {
        return new AuditQuery(actor, action, targetPrefix, from, until, true, after, limit);
    }

    public AuditQuery after(String cursor) {
        return new AuditQuery(actor, action, targetPrefix, from, until, newestFirst, Optional.of(cursor), limit);
    }

    public AuditQuery withLimit(int newLimit) {
        return new AuditQuery(actor, action, targetPrefix, from, until, newestFirst, after, newLimit);
    }
}
