package io.weft.manager.control.internal;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.FlowAck;
import io.weft.control.FlowRecord;
import io.weft.control.FlowRecords;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredFlow;

/**
 * Stores the flow records that a node sends and acknowledges them. A batch that fails to be
 * stored gets no FLOW_ACK, so the node sends it again later.
 */
final class FlowIntake {

    private static final Logger LOG = LoggerFactory.getLogger(FlowIntake.class);

    private final FlowStore store;

    FlowIntake(FlowStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Stores the batch of node {@code nodeId} and returns the acknowledgement, or empty when storing failed. */
    Optional<FlowAck> receive(String nodeId, FlowRecords batch) {
        List<StoredFlow> flows = batch.records().stream().map(record -> toStored(nodeId, batch.epoch(), record))
                .toList();
        try {
            int stored = store.appendFlows(flows);
            LOG.debug("Flows: stored {} of {} records from node '{}' (dropped on the node so far: {})", stored,
                    flows.size(), nodeId, batch.droppedTotal());
        } catch (StoreException e) {
            LOG.warn("Flows: storing {} records from node '{}' failed, so the node sends them again: {}",
                    flows.size(), nodeId, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new FlowAck(batch.lastSequence()));
    }

    private static StoredFlow toStored(String nodeId, long epoch, FlowRecord record) {
        return new StoredFlow(0, nodeId, epoch, record.sequence(), code(record.event()), code(record.end()),
                record.source(), record.destination(), record.service(), record.port(), code(record.action()),
                Optional.ofNullable(record.rule()), java.time.Instant.ofEpochMilli(record.startedAtMillis()),
                record.durationMillis(), record.bytesToDestination(), record.bytesToSource(), java.time.Instant.EPOCH,
                call(record));
    }

    private static Optional<StoredFlow.Call> call(FlowRecord record) {
        if (record.kind() != FlowRecord.Kind.CALL) {
            return Optional.empty();
        }
        return Optional.of(new StoredFlow.Call(record.app(), record.operation(), Optional.ofNullable(record.caller()),
                Optional.ofNullable(record.via()), record.status()));
    }

    private static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
