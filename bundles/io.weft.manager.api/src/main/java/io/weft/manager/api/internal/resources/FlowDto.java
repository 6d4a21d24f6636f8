package io.weft.manager.api.internal.resources;

import java.util.Optional;

import io.weft.manager.store.StoredFlow;

/**
 * One flow record as the API returns it, of a mesh stream or an Edge API call.
 *
 * @param id                 the record's number on this manager; later records have higher numbers
 * @param reporter           id of the node that reported the record
 * @param kind               {@code stream} or {@code call}
 * @param event              {@code opened}, {@code closed} or {@code denied}
 * @param end                the end of the stream or forwarded call that reported it: {@code source} or
 *     {@code destination}
 * @param source             full name of the node that opened the stream, or where the call entered the fleet
 * @param destination        full name of the node that exposes the service or runs the app
 * @param service            the service's name; {@code edge-api} for a call
 * @param port               the service's TCP port; 0 for a call
 * @param action             {@code allow} or {@code deny}
 * @param rule               id of the deciding rule, null when no rule matched and the default denied, or
 *     when a check before the policy denied a call
 * @param startedAt          when the stream opened or the call arrived, an ISO-8601 instant in UTC
 * @param durationMillis     time from open to close, in milliseconds
 * @param bytesToDestination payload bytes from the source to the destination; the request body of a call
 * @param bytesToSource      payload bytes from the destination to the source; the response body of a call
 * @param recordedAt         when the manager stored the record, an ISO-8601 instant in UTC
 * @param app                the app of a call, null for a stream
 * @param operation          the operation of a call, null for a stream
 * @param caller             {@code node:<full name>} or {@code client:<name>}; null for a stream and for a
 *     call whose caller failed to authenticate
 * @param via                the node that forwarded a call, in the record of the node that served it; otherwise null
 * @param status             the HTTP status of a call's response, null for a stream
 */
public record FlowDto(long id, String reporter, String kind, String event, String end, String source,
        String destination, String service, int port, String action, String rule, String startedAt,
        long durationMillis, long bytesToDestination, long bytesToSource, String recordedAt, String app,
        String operation, String caller, String via, Integer status) {

    static FlowDto of(StoredFlow flow) {
        Optional<StoredFlow.Call> call = flow.call();
        return new FlowDto(flow.id(), flow.reporterNodeId(), flow.kind(), flow.event(), flow.end(), flow.source(),
                flow.destination(), flow.service(), flow.port(), flow.action(), flow.rule().orElse(null),
                flow.startedAt().toString(), flow.durationMillis(), flow.bytesToDestination(), flow.bytesToSource(),
                flow.recordedAt().toString(), call.map(StoredFlow.Call::app).orElse(null),
                call.map(StoredFlow.Call::operation).orElse(null), call.flatMap(StoredFlow.Call::caller).orElse(null),
                call.flatMap(StoredFlow.Call::via).orElse(null), call.map(StoredFlow.Call::status).orElse(null));
    }
}
