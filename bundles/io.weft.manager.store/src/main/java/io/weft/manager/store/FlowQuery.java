package io.weft.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Filter and page of a flow record listing, newest first. The filters combine with AND.
 *
 * @param source      only records whose source node has this full name
 * @param destination only records whose destination node has this full name
 * @param service     only records of this service
 * @param action      only records with this action, {@code allow} or {@code deny}
 * @param kind        only records of this kind, {@code stream} or {@code call}
 * @param app         only call records of this app
 * @param operation   only call records of this operation, of any app unless {@code app} is set too
 * @param caller      only call records of this caller, {@code node:<full name>} or {@code client:<name>}
 * @param from        only records of streams that started at or after this time
 * @param until       only records of streams that started before this time
 * @param domains     only records whose source or destination node is in one of these domains or
 *                    their subdomains; an empty list does not filter
 * @param after       cursor from {@link Page#nextCursor()} of the previous page, empty for the first
 *                    page. It is the id of the last record of that page.
 * @param limit       maximum number of records on the page, 1 to {@value #MAX_LIMIT}
 */
public record FlowQuery(Optional<String> source, Optional<String> destination, Optional<String> service,
        Optional<String> action, Optional<String> kind, Optional<String> app, Optional<String> operation,
        Optional<String> caller, Optional<Instant> from, Optional<Instant> until, List<String> domains,
        Optional<Long> after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public FlowQuery {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        domains = List.copyOf(domains);
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("Invalid limit " + limit + ": expected 1 to " + MAX_LIMIT);
        }
    }

    /** Creates a query without the filters of call records. */
    public FlowQuery(Optional<String> source, Optional<String> destination, Optional<String> service,
            Optional<String> action, Optional<Instant> from, Optional<Instant> until, List<String> domains,
            Optional<Long> after, int limit) {
        this(source, destination, service, action, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), from, until, domains, after, limit);
    }

    /** Returns a query for the newest {@value #DEFAULT_LIMIT} records, unfiltered. */
    public static FlowQuery all() {
        return new FlowQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), DEFAULT_LIMIT);
    }

    public FlowQuery withLimit(int newLimit) {
        return new FlowQuery(source, destination, service, action, kind, app, operation, caller, from, until, domains,
                after, newLimit);
    }

    public FlowQuery after(long cursor) {
        return new FlowQuery(source, destination, service, action, kind, app, operation, caller, from, until, domains,
                Optional.of(cursor), limit);
    }

    public FlowQuery inDomains(List<String> visible) {
        return new FlowQuery(source, destination, service, action, kind, app, operation, caller, from, until, visible,
                after, limit);
    }

    /** Returns this query with the filters of call records; an empty value does not filter. */
    public FlowQuery withCall(Optional<String> newKind, Optional<String> newApp, Optional<String> newOperation,
            Optional<String> newCaller) {
        return new FlowQuery(source, destination, service, action, newKind, newApp, newOperation, newCaller, from,
                until, domains, after, limit);
    }
}
