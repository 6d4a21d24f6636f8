package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.StoredFlow;

/** SQL of the weft_flow table. Callers run it inside a transaction. */
final class FlowTable {

    private static final String COLUMNS = "reporter_node_id, epoch, sequence, event, flow_end, source_node, "
            + "destination_node, service, port, action, rule_id, started_at, duration_millis, bytes_to_destination, "
            + "bytes_to_source, recorded_at, kind, app, operation, caller, via_node, http_status";

    private FlowTable() {
    }

    /** Returns the sequence numbers of {@code reporter} and {@code epoch} stored from {@code first} to {@code last}. */
    static Set<Long> storedSequences(Connection connection, String reporter, long epoch, long first, long last)
            throws SQLException {
        String sql = "SELECT sequence FROM weft_flow WHERE reporter_node_id = ? AND epoch = ? AND sequence >= ?"
                + " AND sequence <= ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, reporter);
            select.setLong(2, epoch);
            select.setLong(3, first);
            select.setLong(4, last);
            Set<Long> sequences = new HashSet<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    sequences.add(row.getLong(1));
                }
            }
            return sequences;
        }
    }

    static void insert(Connection connection, List<StoredFlow> flows, Instant recordedAt) throws SQLException {
        String sql = "INSERT INTO weft_flow (" + COLUMNS + ") VALUES (" + Sql.placeholders(22) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (StoredFlow flow : flows) {
                bindRow(insert, flow, recordedAt);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Returns up to {@code query.limit() + 1} records, newest first, so that the caller sees whether more follow. */
    static List<StoredFlow> list(Connection connection, FlowQuery query) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        query.source().ifPresent(value -> add(conditions, parameters, "source_node = ?", value));
        query.destination().ifPresent(value -> add(conditions, parameters, "destination_node = ?", value));
        query.service().ifPresent(value -> add(conditions, parameters, "service = ?", value));
        query.action().ifPresent(value -> add(conditions, parameters, "action = ?", value));
        query.kind().ifPresent(value -> add(conditions, parameters, "kind = ?", value));
        query.app().ifPresent(value -> add(conditions, parameters, "app = ?", value));
        query.operation().ifPresent(value -> add(conditions, parameters, "operation = ?", value));
        query.caller().ifPresent(value -> add(conditions, parameters, "caller = ?", value));
        query.from().ifPresent(value -> add(conditions, parameters, "started_at >= ?", value));
        query.until().ifPresent(value -> add(conditions, parameters, "started_at < ?", value));
        query.after().ifPresent(value -> add(conditions, parameters, "id < ?", value));
        addDomains(conditions, parameters, query.domains());

        String sql = "SELECT id, " + COLUMNS + " FROM weft_flow" + Sql.where(conditions) + " ORDER BY id DESC"
                + " FETCH FIRST " + (query.limit() + 1) + " ROWS ONLY";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            List<StoredFlow> flows = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    flows.add(read(row));
                }
            }
            return flows;
        }
    }

    static int deleteRecordedBefore(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM weft_flow WHERE recorded_at < ?")) {
            Rows.setInstant(delete, 1, cutoff);
            return delete.executeUpdate();
        }
    }

    /** Deletes every record older than the newest {@code keep}. */
    static int deleteBeyondNewest(Connection connection, long keep) throws SQLException {
        OptionalLong oldestKept = idAtOffset(connection, keep - 1);
        if (oldestKept.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM weft_flow WHERE id < ?")) {
            delete.setLong(1, oldestKept.getAsLong());
            return delete.executeUpdate();
        }
    }

    private static OptionalLong idAtOffset(Connection connection, long offset) throws SQLException {
        String sql = "SELECT id FROM weft_flow ORDER BY id DESC OFFSET " + offset + " ROWS FETCH FIRST 1 ROWS ONLY";
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
        }
    }

    /** Adds "(source or destination in domain d1) OR (... d2) ..." for a node full name {@code <node>.<domain>}. */
    private static void addDomains(List<String> conditions, List<Object> parameters, List<String> domains) {
        if (domains.isEmpty()) {
            return;
        }
        List<String> alternatives = new ArrayList<>();
        for (String domain : domains) {
            String pattern = "%." + AuditTable.escapeLike(domain);
            alternatives.add("source_node LIKE ? ESCAPE '!' OR destination_node LIKE ? ESCAPE '!'");
            parameters.add(pattern);
            parameters.add(pattern);
        }
        conditions.add("(" + String.join(" OR ", alternatives) + ")");
    }

    private static void add(List<String> conditions, List<Object> parameters, String condition, Object value) {
        conditions.add(condition);
        parameters.add(value);
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof Instant time) {
                Rows.setInstant(statement, i + 1, time);
            } else if (value instanceof Long number) {
                statement.setLong(i + 1, number);
            } else {
                statement.setString(i + 1, (String) value);
            }
        }
    }

    private static void bindRow(PreparedStatement insert, StoredFlow flow, Instant recordedAt) throws SQLException {
        insert.setString(1, flow.reporterNodeId());
        insert.setLong(2, flow.epoch());
        insert.setLong(3, flow.sequence());
        insert.setString(4, flow.event());
        insert.setString(5, flow.end());
        insert.setString(6, flow.source());
        insert.setString(7, flow.destination());
        insert.setString(8, flow.service());
        insert.setInt(9, flow.port());
        insert.setString(10, flow.action());
        if (flow.rule().isPresent()) {
            insert.setString(11, flow.rule().get());
        } else {
            insert.setNull(11, Types.VARCHAR);
        }
        Rows.setInstant(insert, 12, flow.startedAt());
        insert.setLong(13, flow.durationMillis());
        insert.setLong(14, flow.bytesToDestination());
        insert.setLong(15, flow.bytesToSource());
        Rows.setInstant(insert, 16, recordedAt);
        bindCall(insert, flow);
    }

    /** Binds kind and the columns of a call, which are NULL for a stream. */
    private static void bindCall(PreparedStatement insert, StoredFlow flow) throws SQLException {
        insert.setString(17, flow.kind());
        Optional<StoredFlow.Call> call = flow.call();
        setText(insert, 18, call.map(StoredFlow.Call::app));
        setText(insert, 19, call.map(StoredFlow.Call::operation));
        setText(insert, 20, call.flatMap(StoredFlow.Call::caller));
        setText(insert, 21, call.flatMap(StoredFlow.Call::via));
        if (call.isPresent()) {
            insert.setInt(22, call.get().status());
        } else {
            insert.setNull(22, Types.INTEGER);
        }
    }

    private static void setText(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static StoredFlow read(ResultSet row) throws SQLException {
        return new StoredFlow(row.getLong("id"), row.getString("reporter_node_id"), row.getLong("epoch"),
                row.getLong("sequence"), row.getString("event"), row.getString("flow_end"),
                row.getString("source_node"), row.getString("destination_node"), row.getString("service"),
                row.getInt("port"), row.getString("action"), Optional.ofNullable(row.getString("rule_id")),
                Rows.instant(row, "started_at"), row.getLong("duration_millis"), row.getLong("bytes_to_destination"),
                row.getLong("bytes_to_source"), Rows.instant(row, "recorded_at"), readCall(row));
    }

    private static Optional<StoredFlow.Call> readCall(ResultSet row) throws SQLException {
        if (!StoredFlow.CALL.equals(row.getString("kind"))) {
            return Optional.empty();
        }
        return Optional.of(new StoredFlow.Call(row.getString("app"), row.getString("operation"),
                Optional.ofNullable(row.getString("caller")), Optional.ofNullable(row.getString("via_node")),
                row.getInt("http_status")));
    }
}
