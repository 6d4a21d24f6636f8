package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import io.weft.manager.store.StoredPolicy;

/** SQL of the weft_policy table, whose only row has id 1. Callers run it inside a transaction. */
final class PolicyTable {

    private static final int ROW_ID = 1;

    private PolicyTable() {
    }

    static Optional<StoredPolicy> find(Connection connection) throws SQLException {
        String sql = "SELECT document, version, updated_at FROM weft_policy WHERE id = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setInt(1, ROW_ID);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredPolicy(row.getString("document"), row.getLong("version"),
                        Rows.instant(row, "updated_at")));
            }
        }
    }

    static OptionalLong version(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM weft_policy WHERE id = ?")) {
            select.setInt(1, ROW_ID);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    static void insert(Connection connection, String json, Instant now) throws SQLException {
        String sql = "INSERT INTO weft_policy (id, document, version, updated_at) VALUES (?, ?, 1, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setInt(1, ROW_ID);
            insert.setString(2, json);
            Rows.setInstant(insert, 3, now);
            insert.executeUpdate();
        }
    }

    static boolean update(Connection connection, long expectedVersion, String json, Instant now) throws SQLException {
        String sql = "UPDATE weft_policy SET document = ?, version = version + 1, updated_at = ?"
                + " WHERE id = ? AND version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, json);
            Rows.setInstant(update, 2, now);
            update.setInt(3, ROW_ID);
            update.setLong(4, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }
}
