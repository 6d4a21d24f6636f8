package io.weft.manager.api.internal.fleet;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoredFlow;

/**
 * Lists the flow records that nodes reported. A caller with a fleet-wide read grant gets every
 * record. Any other caller gets the records whose source or destination node lies in the
 * subtree of one of its read grants.
 */
@Component(service = FlowService.class)
public class FlowService {

    /**
     * Filters of a listing; null fields do not filter.
     *
     * @param source      full name of the source node
     * @param destination full name of the destination node
     * @param service     the service's name
     * @param action      {@code allow} or {@code deny}
     * @param from        only streams that started at or after this ISO-8601 instant
     * @param to          only streams that started before this ISO-8601 instant
     * @param cursor      the nextCursor of the previous page
     * @param limit       maximum records on the page
     */
    public record Filter(String source, String destination, String service, String action, String from, String to,
            String cursor, String limit) {
    }

    private final FlowStore store;

    @Activate
    public FlowService(@Reference FlowStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Lists records newest first. */
    public Page<StoredFlow> list(Caller caller, Filter filter) {
        FlowQuery query = new FlowQuery(nodeName("source", filter.source()),
                nodeName("destination", filter.destination()), text(filter.service()), action(filter.action()),
                instant("from", filter.from()), instant("to", filter.to()), List.of(), cursor(filter.cursor()),
                FleetInputs.limit(filter.limit(), FlowQuery.DEFAULT_LIMIT));
        List<String> visible = visibleDomains(caller);

        return StoreErrors.call(() -> store.listFlows(query.inDomains(visible)));
    }

    /** Returns the domains whose records the caller may read, or an empty list for the whole fleet. */
    private static List<String> visibleDomains(Caller caller) {
        List<Optional<DomainName>> subtrees = ReadScopes.of(caller, Optional.empty()).subtrees();
        if (subtrees.stream().anyMatch(Optional::isEmpty)) {
            return List.of();
        }
        return subtrees.stream().map(subtree -> subtree.orElseThrow().toString()).toList();
    }

    private static Optional<String> nodeName(String field, String value) {
        return FleetInputs.parseOptional(field, value, NodeFullName::parse).map(NodeFullName::toString);
    }

    private static Optional<String> action(String value) {
        Optional<String> action = text(value).map(text -> text.toLowerCase(Locale.ROOT));
        if (action.isPresent() && !StoredFlow.ACTIONS.contains(action.get())) {
            throw new InvalidFieldException("action", "Invalid action '" + abbreviate(value)
                    + "': send allow or deny.");
        }
        return action;
    }

    private static Optional<String> text(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Instant> instant(String field, String value) {
        try {
            return text(value).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, "Invalid time '" + abbreviate(value)
                    + "': send an ISO-8601 instant in UTC, such as 2026-01-31T12:00:00Z.");
        }
    }

    private static Optional<Long> cursor(String value) {
        Optional<String> cursor = text(value);
        if (cursor.isPresent() && !cursor.get().matches("\\d{1,18}")) {
            throw new InvalidFieldException("cursor", "Invalid cursor '" + abbreviate(value)
                    + "': pass the nextCursor of the previous page unchanged, or leave the cursor out for the"
                    + " first page.");
        }
        return cursor.map(Long::parseLong);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
