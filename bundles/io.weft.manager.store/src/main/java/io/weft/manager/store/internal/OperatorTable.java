package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.weft.fleet.DomainName;
import io.weft.manager.access.Grant;
import io.weft.manager.access.Role;
import io.weft.manager.store.Operator;

/**
 * SQL of the weft_operator and weft_operator_grant tables. Callers run it inside a
 * transaction. A grant over the whole fleet has the scope '' in its row.
 */
final class OperatorTable {

    private static final String COLUMNS = "name, password_hash, disabled, version, created_at, updated_at";
    private static final String FLEET_WIDE = "";

    private OperatorTable() {
    }

    /**
     * Locks the operator table until the transaction ends, so that two changes that each
     * remove one of the last two fleet-wide admins run one after the other, and the second
     * reads what the first committed. Plain reads continue on PostgreSQL; Derby blocks them too.
     */
    static void lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE weft_operator IN EXCLUSIVE MODE");
        }
    }

    static void insert(Connection connection, String name, String passwordHash, Instant now) throws SQLException {
        String sql = "INSERT INTO weft_operator (" + COLUMNS + ") VALUES (?, ?, ?, 1, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, name);
            insert.setString(2, passwordHash);
            insert.setBoolean(3, false);
            Rows.setInstant(insert, 4, now);
            Rows.setInstant(insert, 5, now);
            insert.executeUpdate();
        }
    }

    static void insertGrants(Connection connection, String name, Set<Grant> grants) throws SQLException {
        String sql = "INSERT INTO weft_operator_grant (operator_name, role, scope) VALUES (?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Grant grant : grants) {
                insert.setString(1, name);
                insert.setString(2, grant.role().code());
                insert.setString(3, grant.scope().map(DomainName::toString).orElse(FLEET_WIDE));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static void deleteGrants(Connection connection, String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM weft_operator_grant WHERE operator_name = ?")) {
            delete.setString(1, name);
            delete.executeUpdate();
        }
    }

    static Optional<Operator> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM weft_operator WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row, grants(connection, name))) : Optional.empty();
            }
        }
    }

    static List<Operator> list(Connection connection) throws SQLException {
        Map<String, Set<Grant>> grants = allGrants(connection);
        List<Operator> operators = new ArrayList<>();
        try (Statement select = connection.createStatement();
                ResultSet row = select.executeQuery("SELECT " + COLUMNS + " FROM weft_operator ORDER BY name")) {
            while (row.next()) {
                operators.add(read(row, grants.getOrDefault(row.getString("name"), Set.of())));
            }
        }
        return operators;
    }

    static OptionalLong version(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT version FROM weft_operator WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Sets one column of an operator and increments its version.
     *
     * @param assignment such as {@code "password_hash = ?"}, whose one parameter is {@code value}
     * @return whether a row at the expected version was updated
     */
    static boolean update(Connection connection, String name, long expectedVersion, String assignment, Object value,
            Instant now) throws SQLException {
        String sql = "UPDATE weft_operator SET " + assignment + ", version = version + 1, updated_at = ? "
                + "WHERE name = ? AND version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setObject(1, value);
            Rows.setInstant(update, 2, now);
            update.setString(3, name);
            update.setLong(4, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    /** Records a change of the grants; returns whether a row at the expected version was updated. */
    static boolean incrementVersion(Connection connection, String name, long expectedVersion, Instant now)
            throws SQLException {
        String sql = "UPDATE weft_operator SET version = version + 1, updated_at = ? WHERE name = ? AND version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            Rows.setInstant(update, 1, now);
            update.setString(2, name);
            update.setLong(3, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    /** Returns whether a row at the expected version was deleted, with its grants and tokens. */
    static boolean delete(Connection connection, String name, long expectedVersion) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM weft_operator WHERE name = ? AND version = ?")) {
            delete.setString(1, name);
            delete.setLong(2, expectedVersion);
            return delete.executeUpdate() == 1;
        }
    }

    /** Returns the names of the enabled operators that hold the admin role over the whole fleet. */
    static Set<String> enabledFleetAdmins(Connection connection) throws SQLException {
        String sql = "SELECT o.name FROM weft_operator o JOIN weft_operator_grant g ON g.operator_name = o.name "
                + "WHERE o.disabled = ? AND g.role = ? AND g.scope = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setBoolean(1, false);
            select.setString(2, Role.ADMIN.code());
            select.setString(3, FLEET_WIDE);
            Set<String> names = new HashSet<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    names.add(row.getString(1));
                }
            }
            return names;
        }
    }

    private static Set<Grant> grants(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT role, scope FROM weft_operator_grant WHERE operator_name = ?")) {
            select.setString(1, name);
            Set<Grant> grants = new HashSet<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    grants.add(readGrant(row));
                }
            }
            return grants;
        }
    }

    private static Map<String, Set<Grant>> allGrants(Connection connection) throws SQLException {
        Map<String, Set<Grant>> grants = new HashMap<>();
        try (Statement select = connection.createStatement();
                ResultSet row = select.executeQuery("SELECT operator_name, role, scope FROM weft_operator_grant")) {
            while (row.next()) {
                grants.computeIfAbsent(row.getString("operator_name"), key -> new HashSet<>()).add(readGrant(row));
            }
        }
        return grants;
    }

    private static Grant readGrant(ResultSet row) throws SQLException {
        String scope = row.getString("scope");
        return Grant.of(Role.parse(row.getString("role")),
                scope.equals(FLEET_WIDE) ? Optional.empty() : Optional.of(DomainName.of(scope)));
    }

    private static Operator read(ResultSet row, Set<Grant> grants) throws SQLException {
        return new Operator(row.getString("name"), row.getString("password_hash"), grants, row.getBoolean("disabled"),
                row.getLong("version"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
