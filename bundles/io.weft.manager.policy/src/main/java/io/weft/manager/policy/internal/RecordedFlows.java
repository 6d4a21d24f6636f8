package io.weft.manager.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.ForbiddenException;

import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoredFlow;
import io.weft.policy.Flow;

/**
 * The distinct flows that nodes recorded most recently, for a dry run whose request names no
 * flows. A stream's flow is a source node, a destination node, a service and its port. A
 * call's flow is its caller, node or API client, and the app operation on the destination
 * node. Either counts whatever the event or the decision. Flows whose nodes the caller may not
 * read, or that are no longer in the fleet, are left out, and so are calls whose caller failed
 * to authenticate, because a flow needs a source.
 */
final class RecordedFlows {

    /** Records read at most, newest first, to find the distinct flows. */
    static final int MAX_RECORDS_SCANNED = 20 * FlowQuery.MAX_LIMIT;

    private static final String NODE_PREFIX = "node:";
    private static final String CLIENT_PREFIX = "client:";

    private RecordedFlows() {
    }

    /** Returns up to {@code max} distinct recorded flows, most recent first. */
    static List<Flow> read(FlowStore store, FlowReader reader, int max) {
        Set<FlowRequest> distinct = new LinkedHashSet<>();
        FlowQuery query = FlowQuery.all().withLimit(FlowQuery.MAX_LIMIT);
        int scanned = 0;
        while (distinct.size() < max && scanned < MAX_RECORDS_SCANNED) {
            Page<StoredFlow> page = store.listFlows(query);
            for (StoredFlow record : page.items()) {
                if (distinct.size() < max) {
                    request(record).ifPresent(distinct::add);
                }
            }
            scanned += page.items().size();
            Optional<String> next = page.nextCursor();
            if (next.isEmpty()) {
                break;
            }
            query = query.after(Long.parseLong(next.get()));
        }
        return readable(reader, distinct);
    }

    private static List<Flow> readable(FlowReader reader, Set<FlowRequest> requests) {
        List<Flow> flows = new ArrayList<>();
        for (FlowRequest request : requests) {
            try {
                flows.add(reader.read(request, ""));
            } catch (ForbiddenException | InvalidFieldException e) {
                // The caller may not read a node of this flow, or the node was deleted since.
            }
        }
        return flows;
    }

    private static Optional<FlowRequest> request(StoredFlow record) {
        if (record.call().isEmpty()) {
            return Optional.of(new FlowRequest(new FlowRequest.Source(record.source(), null),
                    new FlowRequest.Destination(record.destination(), record.service(), "tcp", record.port(), null)));
        }
        StoredFlow.Call call = record.call().get();
        return call.caller().flatMap(RecordedFlows::source).map(source -> new FlowRequest(source,
                new FlowRequest.Destination(record.destination(), null, null, null,
                        call.app() + "/" + call.operation())));
    }

    /** Returns the source of a caller {@code node:<full name>} or {@code client:<name>}. */
    private static Optional<FlowRequest.Source> source(String caller) {
        if (caller.startsWith(NODE_PREFIX)) {
            return Optional.of(new FlowRequest.Source(caller.substring(NODE_PREFIX.length()), null));
        }
        if (caller.startsWith(CLIENT_PREFIX)) {
            return Optional.of(new FlowRequest.Source(null, caller.substring(CLIENT_PREFIX.length())));
        }
        return Optional.empty();
    }
}
