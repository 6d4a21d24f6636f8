package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.weft.manager.store.StoredApp;

/** SQL of the weft_app_version table. Callers run it inside a transaction. */
final class AppTable {

    private static final String COLUMNS = "app_name, app_version, sha256, size_bytes, signature, uploaded_by,"
            + " uploaded_at";

    private AppTable() {
    }

    static void insert(Connection connection, StoredApp app) throws SQLException {
        String sql = "INSERT INTO weft_app_version (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, app.name());
            insert.setString(2, app.version());
            insert.setString(3, app.sha256());
            insert.setLong(4, app.sizeBytes());
            insert.setString(5, app.signature());
            insert.setString(6, app.uploadedBy());
            Rows.setInstant(insert, 7, app.uploadedAt());
            insert.executeUpdate();
        }
    }

    static Optional<StoredApp> find(Connection connection, String name, String version) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM weft_app_version WHERE app_name = ? AND app_version = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, name);
            select.setString(2, version);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(app(row)) : Optional.empty();
            }
        }
    }

    static List<StoredApp> list(Connection connection) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM weft_app_version ORDER BY app_name, uploaded_at, app_version";
        List<StoredApp> apps = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                apps.add(app(row));
            }
        }
        return apps;
    }

    static boolean updateSignature(Connection connection, String name, String version, String signature)
            throws SQLException {
        String sql = "UPDATE weft_app_version SET signature = ? WHERE app_name = ? AND app_version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, signature);
            update.setString(2, name);
            update.setString(3, version);
            return update.executeUpdate() == 1;
        }
    }

    static boolean delete(Connection connection, String name, String version) throws SQLException {
        String sql = "DELETE FROM weft_app_version WHERE app_name = ? AND app_version = ?";
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, name);
            delete.setString(2, version);
            return delete.executeUpdate() == 1;
        }
    }

    private static StoredApp app(ResultSet row) throws SQLException {
        return new StoredApp(row.getString("app_name"), row.getString("app_version"), row.getString("sha256"),
                row.getLong("size_bytes"), row.getString("signature"), row.getString("uploaded_by"),
                Rows.instant(row, "uploaded_at"));
    }
}
