package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.weft.manager.store.Domain;
import io.weft.manager.store.DomainQuery;

/** SQL of the weft_domain table. Callers run it inside a transaction. */
final class DomainTable {

    private static final String COLUMNS = "name, description, version, created_at, updated_at";

    private DomainTable() {
    }

    /**
     * Locks the table until the transaction ends, so that creating a subdomain and deleting its
     * parent cannot interleave. Plain reads continue on PostgreSQL; Derby blocks them too.
     */
    static void lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE weft_domain IN EXCLUSIVE MODE");
        }
    }

    static void insert(Connection connection, String name, String description, Instant now) throws SQLException {
        String sql = "INSERT INTO weft_domain (" + COLUMNS + ") VALUES (?, ?, 1, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, name);
            insert.setString(2, description);
            Rows.setInstant(insert, 3, now);
            Rows.setInstant(insert, 4, now);
            insert.executeUpdate();
        }
    }

    static Optional<Domain> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM weft_domain WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    static OptionalLong version(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM weft_domain WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Returns whether a row at the expected version was updated. */
    static boolean update(Connection connection, String name, long expectedVersion, String description, Instant now)
            throws SQLException {
        String sql = "UPDATE weft_domain SET description = ?, version = version + 1, updated_at = ? "
                + "WHERE name = ? AND version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, description);
            Rows.setInstant(update, 2, now);
            update.setString(3, name);
            update.setLong(4, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    static int countSubdomains(Connection connection, String name) throws SQLException {
        return count(connection, "SELECT COUNT(*) FROM weft_domain WHERE name LIKE ?", "%." + name);
    }

    static int countNodes(Connection connection, String name) throws SQLException {
        return count(connection, "SELECT COUNT(*) FROM weft_node WHERE domain_name = ?", name);
    }

    private static int count(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** Returns whether a row at the expected version was deleted. */
    static boolean delete(Connection connection, String name, long expectedVersion) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM weft_domain WHERE name = ? AND version = ?")) {
            delete.setString(1, name);
            delete.setLong(2, expectedVersion);
            return delete.executeUpdate() == 1;
        }
    }

    /** Returns up to {@code query.limit() + 1} domains, so that the caller sees whether more follow. */
    static List<Domain> list(Connection connection, DomainQuery query) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        query.subtree().ifPresent(root -> {
            conditions.add("(name = ? OR name LIKE ?)");
            parameters.add(root);
            parameters.add("%." + root);
        });
        query.after().ifPresent(cursor -> {
            conditions.add("name > ?");
            parameters.add(cursor);
        });

        String sql = "SELECT " + COLUMNS + " FROM weft_domain" + Sql.where(conditions)
                + " ORDER BY name FETCH FIRST " + (query.limit() + 1) + " ROWS ONLY";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            Sql.bind(select, parameters);
            List<Domain> domains = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    domains.add(read(row));
                }
            }
            return domains;
        }
    }

    private static Domain read(ResultSet row) throws SQLException {
        return new Domain(row.getString("name"), row.getString("description"), row.getLong("version"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
