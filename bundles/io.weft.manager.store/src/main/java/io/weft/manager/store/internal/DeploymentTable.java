package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.weft.manager.store.StoredDeployment;

/** SQL of the weft_deployment table. Callers run it inside a transaction. */
final class DeploymentTable {

    private static final String COLUMNS = "id, app_name, app_version, previous_version, spec, state, state_reason,"
            + " version, created_at, updated_at";

    private DeploymentTable() {
    }

    static void insert(Connection connection, StoredDeployment deployment, Instant now) throws SQLException {
        String sql = "INSERT INTO weft_deployment (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, deployment.id());
            insert.setString(2, deployment.appName());
            insert.setString(3, deployment.appVersion());
            Rows.setOptionalString(insert, 4, deployment.previousVersion());
            insert.setString(5, deployment.specJson());
            insert.setString(6, deployment.state());
            Rows.setOptionalString(insert, 7, deployment.stateReason());
            Rows.setInstant(insert, 8, now);
            Rows.setInstant(insert, 9, now);
            insert.executeUpdate();
        }
    }

    static boolean update(Connection connection, long expectedVersion, StoredDeployment deployment, Instant now)
            throws SQLException {
        String sql = "UPDATE weft_deployment SET app_version = ?, previous_version = ?, spec = ?, state = ?,"
                + " state_reason = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, deployment.appVersion());
            Rows.setOptionalString(update, 2, deployment.previousVersion());
            update.setString(3, deployment.specJson());
            update.setString(4, deployment.state());
            Rows.setOptionalString(update, 5, deployment.stateReason());
            Rows.setInstant(update, 6, now);
            update.setString(7, deployment.id());
            update.setLong(8, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    static boolean delete(Connection connection, String id, long expectedVersion) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM weft_deployment WHERE id = ? AND version = ?")) {
            delete.setString(1, id);
            delete.setLong(2, expectedVersion);
            return delete.executeUpdate() == 1;
        }
    }

    static OptionalLong version(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM weft_deployment WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    static Optional<StoredDeployment> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM weft_deployment WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(deployment(row)) : Optional.empty();
            }
        }
    }

    static List<StoredDeployment> list(Connection connection) throws SQLException {
        List<StoredDeployment> deployments = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM weft_deployment ORDER BY created_at, id"); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                deployments.add(deployment(row));
            }
        }
        return deployments;
    }

    static boolean uses(Connection connection, String appName, String appVersion) throws SQLException {
        String sql = "SELECT COUNT(*) FROM weft_deployment WHERE app_name = ? AND (app_version = ?"
                + " OR previous_version = ?)";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, appName);
            select.setString(2, appVersion);
            select.setString(3, appVersion);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    private static StoredDeployment deployment(ResultSet row) throws SQLException {
        return new StoredDeployment(row.getString("id"), row.getString("app_name"), row.getString("app_version"),
                Optional.ofNullable(row.getString("previous_version")), row.getString("spec"), row.getString("state"),
                Optional.ofNullable(row.getString("state_reason")), row.getLong("version"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
