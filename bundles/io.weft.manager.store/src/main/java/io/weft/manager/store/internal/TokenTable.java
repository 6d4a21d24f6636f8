package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.weft.manager.access.ApiToken;
import io.weft.manager.store.StoredApiToken;

/** SQL of the weft_api_token table. Callers run it inside a transaction. */
final class TokenTable {

    private static final String COLUMNS = "id, owner_name, secret_sha256, created_at, expires_at, revoked, last_used_at";

    private TokenTable() {
    }

    static void insert(Connection connection, ApiToken token) throws SQLException {
        String sql = "INSERT INTO weft_api_token (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, NULL)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, token.id());
            insert.setString(2, token.owner());
            insert.setString(3, token.secretSha256());
            Rows.setInstant(insert, 4, token.createdAt());
            Rows.setInstant(insert, 5, token.expiresAt());
            insert.setBoolean(6, token.revoked());
            insert.executeUpdate();
        }
    }

    static Optional<StoredApiToken> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM weft_api_token WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    static List<StoredApiToken> listByOwner(Connection connection, String owner) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM weft_api_token WHERE owner_name = ? ORDER BY created_at, id")) {
            select.setString(1, owner);
            List<StoredApiToken> tokens = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    tokens.add(read(row));
                }
            }
            return tokens;
        }
    }

    /** Returns whether the token exists; it is revoked afterwards either way. */
    static boolean revoke(Connection connection, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE weft_api_token SET revoked = ? WHERE id = ?")) {
            update.setBoolean(1, true);
            update.setString(2, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Moves the last use forward to {@code time}; returns whether the token exists. */
    static boolean recordUse(Connection connection, String id, Instant time) throws SQLException {
        String sql = "UPDATE weft_api_token SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? "
                + "THEN ? ELSE last_used_at END WHERE id = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            Rows.setInstant(update, 1, time);
            Rows.setInstant(update, 2, time);
            update.setString(3, id);
            return update.executeUpdate() == 1;
        }
    }

    private static StoredApiToken read(ResultSet row) throws SQLException {
        ApiToken token = new ApiToken(row.getString("id"), row.getString("owner_name"), row.getString("secret_sha256"),
                Rows.instant(row, "created_at"), Rows.instant(row, "expires_at"), row.getBoolean("revoked"));
        return new StoredApiToken(token, Rows.optionalInstant(row, "last_used_at"));
    }
}
