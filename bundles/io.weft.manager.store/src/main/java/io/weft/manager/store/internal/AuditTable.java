package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.store.AuditQuery;

/** SQL of the weft_audit_entry table. Callers run it inside a transaction. */
final class AuditTable {

    private static final String COLUMNS = "sequence, recorded_at, actor, remote_address, action, target, "
            + "before_state, after_state, previous_hash, hash";
    /** Escape character of LIKE patterns; chosen over the backslash, which string literals treat differently. */
    private static final char LIKE_ESCAPE = '!';

    private AuditTable() {
    }

    /**
     * Locks the table until the transaction ends, so that appends run one after the other, in
     * this manager and in every other one that shares the database. Plain reads continue on
     * PostgreSQL; Derby blocks them until the append commits.
     */
    static void lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE weft_audit_entry IN EXCLUSIVE MODE");
        }
    }

    /**
     * Returns the last entry's sequence and hash. MAX over the primary key reads the last index
     * entry on Derby, where ORDER BY sequence DESC sorted the whole table on every append.
     */
    static AuditAnchor head(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
                ResultSet row = select.executeQuery("SELECT sequence, hash FROM weft_audit_entry"
                        + " WHERE sequence = (SELECT MAX(sequence) FROM weft_audit_entry)")) {
            return row.next() ? new AuditAnchor(row.getLong(1), row.getString(2)) : AuditAnchor.GENESIS;
        }
    }

    static void insert(Connection connection, AuditEntry entry) throws SQLException {
        String sql = "INSERT INTO weft_audit_entry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, entry.sequence());
            Rows.setInstant(insert, 2, entry.time());
            insert.setString(3, entry.actor());
            setNullableText(insert, 4, entry.remoteAddress());
            insert.setString(5, entry.action());
            insert.setString(6, entry.target());
            setNullableText(insert, 7, entry.before());
            setNullableText(insert, 8, entry.after());
            insert.setString(9, entry.previousHash());
            insert.setString(10, entry.hash());
            insert.executeUpdate();
        }
    }

    /**
     * Returns up to {@code query.limit() + 1} entries, so that the caller sees whether more follow.
     *
     * @param afterSequence the cursor of the query as a number, or null for the first page
     */
    static List<AuditEntry> list(Connection connection, AuditQuery query, Long afterSequence) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        query.actor().ifPresent(actor -> add(conditions, parameters, "actor = ?", actor));
        query.action().ifPresent(action -> add(conditions, parameters, "action = ?", action));
        query.targetPrefix().ifPresent(prefix -> add(conditions, parameters,
                "target LIKE ? ESCAPE '" + LIKE_ESCAPE + "'", escapeLike(prefix) + "%"));
        query.from().ifPresent(from -> add(conditions, parameters, "recorded_at >= ?", from));
        query.until().ifPresent(until -> add(conditions, parameters, "recorded_at < ?", until));
        if (afterSequence != null) {
            add(conditions, parameters, query.newestFirst() ? "sequence < ?" : "sequence > ?", afterSequence);
        }

        String sql = "SELECT " + COLUMNS + " FROM weft_audit_entry" + Sql.where(conditions) + " ORDER BY sequence"
                + (query.newestFirst() ? " DESC" : "") + " FETCH FIRST " + (query.limit() + 1) + " ROWS ONLY";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(read(row));
                }
            }
            return entries;
        }
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

    static String escapeLike(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == LIKE_ESCAPE || c == '%' || c == '_') {
                escaped.append(LIKE_ESCAPE);
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * Binds a text that may be null. The null is typed VARCHAR because PostgreSQL's driver
     * maps a CLOB null to a large-object id, which a TEXT column rejects.
     */
    private static void setNullableText(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static AuditEntry read(ResultSet row) throws SQLException {
        return new AuditEntry(row.getLong("sequence"), Rows.instant(row, "recorded_at"), row.getString("actor"),
                row.getString("remote_address"), row.getString("action"), row.getString("target"),
                row.getString("before_state"), row.getString("after_state"), row.getString("previous_hash"),
                row.getString("hash"));
    }
}
