package io.weft.manager.api.internal.resources;

import io.weft.manager.store.StoredFlow;

/**
 * One flow record as the API returns it.
 *
 * @param id                 the record's number on this manager; later records have higher numbers
 * @param reporter           id of the node that reported the record
 * @param event              {@code opened}, {@code closed} or {@code denied}
 * @param end                the end of the stream that reported it: {@code source} or {@code destination}
 * @param source             full name of the node that opened the stream
 * @param destination        full name of the node that exposes the service
 * @param service            the service's name
 * @param port               the service's TCP port
 * @param action             {@code allow} or {@code deny}
 * @param rule               id of the deciding rule, null when no rule matched and the default denied
 * @param startedAt          when the stream opened or was denied, an ISO-8601 instant in UTC
 * @param durationMillis     time from open to close, in milliseconds
 * @param bytesToDestination payload bytes from the source to the destination
 * @param bytesToSource      payload bytes from the destination to the source
 * @param recordedAt         when the manager stored the record, an ISO-8601 instant in UTC
 */
public record FlowDto(long id, String reporter, String event, String end, String source, String destination,
        String service, int port, String action, String rule, String startedAt, long durationMillis, long bytesToDestination,
        long bytesToSource, String recordedAt) {

    static FlowDto of(StoredFlow flow) {
        return new FlowDto(flow.id(), flow.reporterNodeId(), flow.event(), flow.end(), flow.source(),
                flow.destination(), flow.service(), flow.port(), flow.action(), flow.rule().orElse(null),
                flow.startedAt().toString(), flow.durationMillis(), flow.bytesToDestination(), flow.bytesToSource(),
                flow.recordedAt().toString());
    }
}
