package io.weft.manager.store.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredFlow;

/** {@link FlowStore} on a JDBC database whose schema the migrations created. */
final class JdbcFlowStore implements FlowStore {

    private final ConnectionPool pool;
    private final Clock clock;

    JdbcFlowStore(ConnectionPool pool, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public int appendFlows(List<StoredFlow> flows) {
        if (flows.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return transaction("store " + flows.size() + " flow records", connection -> {
            List<StoredFlow> fresh = new ArrayList<>();
            for (Map.Entry<String, List<StoredFlow>> batch : byReporterAndEpoch(flows).entrySet()) {
                List<StoredFlow> records = batch.getValue();
                StoredFlow first = records.get(0);
                Set<Long> stored = FlowTable.storedSequences(connection, first.reporterNodeId(), first.epoch(),
                        records.stream().mapToLong(StoredFlow::sequence).min().orElseThrow(),
                        records.stream().mapToLong(StoredFlow::sequence).max().orElseThrow());
                records.stream().filter(flow -> !stored.contains(flow.sequence())).forEach(fresh::add);
            }
            FlowTable.insert(connection, fresh, now);
            return fresh.size();
        });
    }

    @Override
    public Page<StoredFlow> listFlows(FlowQuery query) {
        List<StoredFlow> rows = transaction("list flow records", connection -> FlowTable.list(connection, query));
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, Optional.empty());
        }
        List<StoredFlow> page = rows.subList(0, query.limit());
        return new Page<>(page, Optional.of(Long.toString(page.get(page.size() - 1).id())));
    }

    @Override
    public int pruneFlows(Instant cutoff, long maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("Invalid maxRecords " + maxRecords + ": expected at least 1");
        }
        return transaction("delete old flow records", connection -> FlowTable.deleteRecordedBefore(connection, cutoff)
                + FlowTable.deleteBeyondNewest(connection, maxRecords));
    }

    private static Map<String, List<StoredFlow>> byReporterAndEpoch(List<StoredFlow> flows) {
        Map<String, List<StoredFlow>> groups = new LinkedHashMap<>();
        for (StoredFlow flow : flows) {
            groups.computeIfAbsent(flow.reporterNodeId() + "/" + flow.epoch(), key -> new ArrayList<>()).add(flow);
        }
        return groups;
    }

    private <T> T transaction(String operation, ConnectionPool.Work<T> work) {
        try {
            return pool.inTransaction(work);
        } catch (SQLException e) {
            throw new StoreException("Failed to " + operation + ": " + e.getMessage() + " (SQL state "
                    + e.getSQLState() + ")", e);
        }
    }
}
