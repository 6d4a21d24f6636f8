package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import io.weft.manager.store.ProfileDocument;
import io.weft.manager.store.ProfileOwner;

/**
 * SQL of the weft_domain_profile and weft_node_profile tables, which differ only in their
 * key column. Callers run it inside a transaction.
 */
final class ProfileTable {

    private ProfileTable() {
    }

    private record Table(String name, String keyColumn) {
    }

    private static Table of(ProfileOwner owner) {
        return switch (owner.kind()) {
            case DOMAIN -> new Table("weft_domain_profile", "domain_name");
            case NODE -> new Table("weft_node_profile", "node_id");
        };
    }

    static void insert(Connection connection, ProfileOwner owner, String json, Instant now) throws SQLException {
        Table table = of(owner);
        String sql = "INSERT INTO " + table.name() + " (" + table.keyColumn() + ", document, version, updated_at) "
                + "VALUES (?, ?, 1, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, owner.key());
            insert.setString(2, json);
            Rows.setInstant(insert, 3, now);
            insert.executeUpdate();
        }
    }

    static Optional<ProfileDocument> find(Connection connection, ProfileOwner owner) throws SQLException {
        Table table = of(owner);
        String sql = "SELECT document, version, updated_at FROM " + table.name() + " WHERE " + table.keyColumn()
                + " = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, owner.key());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ProfileDocument(owner, row.getString("document"), row.getLong("version"),
                        Rows.instant(row, "updated_at")));
            }
        }
    }

    static OptionalLong version(Connection connection, ProfileOwner owner) throws SQLException {
        Table table = of(owner);
        String sql = "SELECT version FROM " + table.name() + " WHERE " + table.keyColumn() + " = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, owner.key());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    static boolean update(Connection connection, ProfileOwner owner, long expectedVersion, String json, Instant now)
            throws SQLException {
        Table table = of(owner);
        String sql = "UPDATE " + table.name() + " SET document = ?, version = version + 1, updated_at = ? WHERE "
                + table.keyColumn() + " = ? AND version = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, json);
            Rows.setInstant(update, 2, now);
            update.setString(3, owner.key());
            update.setLong(4, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    static boolean delete(Connection connection, ProfileOwner owner, long expectedVersion) throws SQLException {
        Table table = of(owner);
        String sql = "DELETE FROM " + table.name() + " WHERE " + table.keyColumn() + " = ? AND version = ?";
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, owner.key());
            delete.setLong(2, expectedVersion);
            return delete.executeUpdate() == 1;
        }
    }
}
