package io.weft.manager.api.internal.fleet;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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
import io.weft.policy.AppOperation;
import io.weft.policy.ClientName;

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
     * @param kind        {@code stream} or {@code call}
     * @param app         the app of call records
     * @param operation   the operation of call records
     * @param caller      the caller of call records, {@code node:<full name>} or {@code client:<name>}
     * @param from        only streams that started at or after this ISO-8601 instant
     * @param to          only streams that started before this ISO-8601 instant
     * @param cursor      the nextCursor of the previous page
     * @param limit       maximum records on the page
     */
    public record Filter(String source, String destination, String service, String action, String kind, String app,
            String operation, String caller, String from, String to, String cursor, String limit) {
    }

    private final FlowStore store;

    @Activate
    public FlowService(@Reference FlowStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Lists records newest first. */
    public Page<StoredFlow> list(Caller caller, Filter filter) {
        Optional<Instant> from = instant("from", filter.from());
        Optional<Instant> to = instant("to", filter.to());
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new InvalidFieldException("to", "The time range is empty: to (" + to.get() + ") must be later than"
                    + " from (" + from.get() + "). Swap them, or leave one out.");
        }
        FlowQuery query = new FlowQuery(nodeName("source", filter.source()),
                nodeName("destination", filter.destination()), text(filter.service()), action(filter.action()),
                from, to, List.of(), cursor(filter.cursor()),
                FleetInputs.limit(filter.limit(), FlowQuery.DEFAULT_LIMIT))
                .withCall(kind(filter.kind()), app(filter.app()), operation(filter.operation()),
                        caller(filter.caller()));
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

    private static Optional<String> kind(String value) {
        Optional<String> kind = text(value).map(text -> text.toLowerCase(Locale.ROOT));
        if (kind.isPresent() && !StoredFlow.KINDS.contains(kind.get())) {
            throw new InvalidFieldException("kind", "Invalid kind '" + abbreviate(value) + "': send stream or call.");
        }
        return kind;
    }

    private static Optional<String> app(String value) {
        return convert("app", value, text -> new AppOperation(text, "x").app(),
                "send the app name that its operations declare, such as camera");
    }

    private static Optional<String> operation(String value) {
        return convert("operation", value, text -> new AppOperation("x", text).operation(),
                "send an operation name such as snapshot, without the app");
    }

    /** Returns the caller in its canonical form: {@code node:} with a node's full name, or {@code client:}. */
    private static Optional<String> caller(String value) {
        return convert("caller", value, text -> {
            if (text.startsWith("node:")) {
                return "node:" + NodeFullName.parse(text.substring("node:".length()));
            }
            if (text.startsWith("client:")) {
                return "client:" + ClientName.of(text.substring("client:".length()));
            }
            throw new IllegalArgumentException("it has neither prefix");
        }, "send node:<full name> or client:<name>, such as client:ci-deployer");
    }

    /** Checks a name filter with {@code check}, which returns the value as stored or throws. */
    private static Optional<String> convert(String field, String value, Function<String, String> check,
            String expected) {
        Optional<String> text = text(value);
        try {
            return text.map(check);
        } catch (IllegalArgumentException e) {
            // The parsers of io.weft.policy and io.weft.fleet raise subclasses of IllegalArgumentException.
            throw new InvalidFieldException(field, "Invalid " + field + " '" + abbreviate(value) + "': " + expected
                    + ".");
        }
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
