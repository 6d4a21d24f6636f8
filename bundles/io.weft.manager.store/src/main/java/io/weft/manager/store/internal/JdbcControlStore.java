package io.weft.manager.store.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.weft.manager.store.ControlStore;
import io.weft.manager.store.NodeCertificate;
import io.weft.manager.store.NodeControl;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredEnrollmentToken;

/**
 * {@link ControlStore} on a JDBC database whose schema the migrations created. Times are
 * stored with millisecond precision.
 */
final class JdbcControlStore implements ControlStore {

    private static final Set<String> COUNTERS = Set.of(DESIRED_STATE_REVISION, CRL_NUMBER);
    private static final String TOKEN_COLUMNS = "id, node_id, secret_sha256, created_by, created_at, expires_at, used_at";
    private static final String CERTIFICATE_COLUMNS =
            "serial, node_id, not_before, not_after, issued_at, revoked_at, revocation_reason";
    private static final String CONTROL_COLUMNS = "node_id, desired_revision, desired_sha256, desired_at, "
            + "applied_revision, applied_at, last_rejection, weft_version";

    private final ConnectionPool pool;
    private final SecureRandom random = new SecureRandom();

    JdbcControlStore(ConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public StoredEnrollmentToken createEnrollmentToken(String nodeId, String secretSha256, String createdBy,
            Instant createdAt, Instant expiresAt) {
        requireSha256(secretSha256);
        String id = HexFormat.of().formatHex(randomBytes(8));
        StoredEnrollmentToken token = new StoredEnrollmentToken(id, nodeId, secretSha256, createdBy, millis(createdAt),
                millis(expiresAt), Optional.empty());

        return transaction("create an enrollment token for node " + nodeId, connection -> {
            String sql = "INSERT INTO weft_enrollment_token (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, NULL)";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setString(1, token.id());
                insert.setString(2, token.nodeId());
                insert.setString(3, token.secretSha256());
                insert.setString(4, token.createdBy());
                Rows.setInstant(insert, 5, token.createdAt());
                Rows.setInstant(insert, 6, token.expiresAt());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (SqlStates.isForeignKeyViolation(e)) {
                    throw new NotFoundException("node", nodeId);
                }
                throw e;
            }
            return token;
        });
    }

    @Override
    public Optional<StoredEnrollmentToken> findEnrollmentTokenBySecret(String secretSha256) {
        requireSha256(secretSha256);
        List<StoredEnrollmentToken> found = transaction("read an enrollment token", connection -> selectTokens(
                connection, "secret_sha256 = ?", secretSha256));
        return found.stream().findFirst();
    }

    @Override
    public List<StoredEnrollmentToken> listEnrollmentTokens(String nodeId) {
        return transaction("list the enrollment tokens of node " + nodeId,
                connection -> selectTokens(connection, "node_id = ?", nodeId));
    }

    @Override
    public boolean useEnrollmentToken(String id, Instant time) {
        return transaction("use enrollment token " + id, connection -> {
            String sql = "UPDATE weft_enrollment_token SET used_at = ? WHERE id = ? AND used_at IS NULL";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                Rows.setInstant(update, 1, millis(time));
                update.setString(2, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int cancelEnrollmentTokens(String nodeId, Instant time) {
        return transaction("cancel the enrollment tokens of node " + nodeId, connection -> {
            String sql = "UPDATE weft_enrollment_token SET used_at = ? WHERE node_id = ? AND used_at IS NULL";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                Rows.setInstant(update, 1, millis(time));
                update.setString(2, nodeId);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public void recordCertificate(NodeCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");

        transaction("record certificate " + certificate.serial(), connection -> {
            String sql = "INSERT INTO weft_node_certificate (" + CERTIFICATE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setString(1, certificate.serial());
                insert.setString(2, certificate.nodeId());
                Rows.setInstant(insert, 3, millis(certificate.notBefore()));
                Rows.setInstant(insert, 4, millis(certificate.notAfter()));
                Rows.setInstant(insert, 5, millis(certificate.issuedAt()));
                setOptionalInstant(insert, 6, certificate.revokedAt());
                Rows.setOptionalString(insert, 7, certificate.revocationReason());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<NodeCertificate> findCertificate(String serial) {
        return transaction("read certificate " + serial,
                connection -> selectCertificates(connection, "serial = ?", serial)).stream().findFirst();
    }

    @Override
    public List<NodeCertificate> listCertificates(String nodeId) {
        return transaction("list the certificates of node " + nodeId,
                connection -> selectCertificates(connection, "node_id = ?", nodeId));
    }

    @Override
    public List<NodeCertificate> revokeCertificates(String nodeId, Instant time, String reason) {
        Objects.requireNonNull(reason, "reason");

        return transaction("revoke the certificates of node " + nodeId, connection -> {
            List<NodeCertificate> valid = selectCertificates(connection, "node_id = ? AND revoked_at IS NULL", nodeId);
            String sql = "UPDATE weft_node_certificate SET revoked_at = ?, revocation_reason = ? "
                    + "WHERE node_id = ? AND revoked_at IS NULL";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                Rows.setInstant(update, 1, millis(time));
                update.setString(2, reason);
                update.setString(3, nodeId);
                update.executeUpdate();
            }
            return valid.stream().map(certificate -> new NodeCertificate(certificate.serial(), certificate.nodeId(),
                    certificate.notBefore(), certificate.notAfter(), certificate.issuedAt(),
                    Optional.of(millis(time)), Optional.of(reason))).toList();
        });
    }

    @Override
    public List<NodeCertificate> listRevokedCertificates(Instant now) {
        return transaction("list revoked certificates", connection -> {
            String sql = "SELECT " + CERTIFICATE_COLUMNS + " FROM weft_node_certificate "
                    + "WHERE revoked_at IS NOT NULL AND not_after > ? ORDER BY serial";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                Rows.setInstant(select, 1, now);
                return readCertificates(select);
            }
        });
    }

    @Override
    public long nextValue(String counter) {
        if (!COUNTERS.contains(counter)) {
            throw new IllegalArgumentException("Unknown counter '" + counter + "': expected one of " + COUNTERS);
        }

        return transaction("increment counter " + counter, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE weft_counter SET counter_value = counter_value + 1 WHERE name = ?")) {
                update.setString(1, counter);
                update.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT counter_value FROM weft_counter WHERE name = ?")) {
                select.setString(1, counter);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new StoreException("Counter " + counter + " is missing from weft_counter: the schema"
                                + " migration V3 did not run completely");
                    }
                    return row.getLong(1);
                }
            }
        });
    }

    @Override
    public Optional<NodeControl> findNodeControl(String nodeId) {
        return transaction("read the control state of node " + nodeId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + CONTROL_COLUMNS + " FROM weft_node_control WHERE node_id = ?")) {
                select.setString(1, nodeId);
                return readControls(select).stream().findFirst();
            }
        });
    }

    @Override
    public Map<String, NodeControl> listNodeControl() {
        return transaction("list the control state of nodes", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + CONTROL_COLUMNS + " FROM weft_node_control ORDER BY node_id")) {
                Map<String, NodeControl> byNode = new LinkedHashMap<>();
                readControls(select).forEach(control -> byNode.put(control.nodeId(), control));
                return byNode;
            }
        });
    }

    @Override
    public NodeControl setDesiredState(String nodeId, long revision, String sha256, Instant time) {
        requireSha256(sha256);

        return transaction("set the desired state of node " + nodeId, connection -> {
            String update = "UPDATE weft_node_control SET desired_revision = ?, desired_sha256 = ?, desired_at = ? "
                    + "WHERE node_id = ?";
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                statement.setLong(1, revision);
                statement.setString(2, sha256);
                Rows.setInstant(statement, 3, millis(time));
                statement.setString(4, nodeId);
                if (statement.executeUpdate() == 0) {
                    insertControl(connection, nodeId, revision, sha256, millis(time));
                }
            }
            return findControl(connection, nodeId).orElseThrow();
        });
    }

    @Override
    public void recordApplied(String nodeId, long revision, Instant time, String weftVersion) {
        transaction("record the applied revision of node " + nodeId, connection -> {
            String sql = "UPDATE weft_node_control SET applied_revision = CASE WHEN applied_revision < ? THEN ? "
                    + "ELSE applied_revision END, applied_at = ?, last_rejection = NULL, weft_version = ? "
                    + "WHERE node_id = ?";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                update.setLong(1, revision);
                update.setLong(2, revision);
                Rows.setInstant(update, 3, millis(time));
                update.setString(4, weftVersion);
                update.setString(5, nodeId);
                if (update.executeUpdate() == 0) {
                    throw new NotFoundException("control state of node", nodeId);
                }
            }
            return null;
        });
    }

    @Override
    public void recordRejection(String nodeId, String reason) {
        String stored = reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH);

        transaction("record a rejection of node " + nodeId, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE weft_node_control SET last_rejection = ? WHERE node_id = ?")) {
                update.setString(1, stored);
                update.setString(2, nodeId);
                if (update.executeUpdate() == 0) {
                    throw new NotFoundException("control state of node", nodeId);
                }
            }
            return null;
        });
    }

    @Override
    public void recordLastSeen(Map<String, Instant> times) {
        if (times.isEmpty()) {
            return;
        }

        transaction("record last-seen times of " + times.size() + " nodes", connection -> {
            String sql = "UPDATE weft_node SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                for (Map.Entry<String, Instant> entry : times.entrySet()) {
                    Instant time = millis(entry.getValue());
                    Rows.setInstant(update, 1, time);
                    update.setString(2, entry.getKey());
                    Rows.setInstant(update, 3, time);
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    private static void insertControl(Connection connection, String nodeId, long revision, String sha256, Instant time)
            throws SQLException {
        String sql = "INSERT INTO weft_node_control (" + CONTROL_COLUMNS + ") VALUES (?, ?, ?, ?, 0, NULL, NULL, NULL)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, nodeId);
            insert.setLong(2, revision);
            insert.setString(3, sha256);
            Rows.setInstant(insert, 4, time);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (SqlStates.isForeignKeyViolation(e)) {
                throw new NotFoundException("node", nodeId);
            }
            throw e;
        }
    }

    private static Optional<NodeControl> findControl(Connection connection, String nodeId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + CONTROL_COLUMNS + " FROM weft_node_control WHERE node_id = ?")) {
            select.setString(1, nodeId);
            return readControls(select).stream().findFirst();
        }
    }

    private static List<StoredEnrollmentToken> selectTokens(Connection connection, String condition, String value)
            throws SQLException {
        String sql = "SELECT " + TOKEN_COLUMNS + " FROM weft_enrollment_token WHERE " + condition
                + " ORDER BY created_at, id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, value);
            List<StoredEnrollmentToken> tokens = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    tokens.add(new StoredEnrollmentToken(row.getString("id"), row.getString("node_id"),
                            row.getString("secret_sha256"), row.getString("created_by"), Rows.instant(row, "created_at"),
                            Rows.instant(row, "expires_at"), Rows.optionalInstant(row, "used_at")));
                }
            }
            return tokens;
        }
    }

    private static List<NodeCertificate> selectCertificates(Connection connection, String condition, String value)
            throws SQLException {
        String sql = "SELECT " + CERTIFICATE_COLUMNS + " FROM weft_node_certificate WHERE " + condition
                + " ORDER BY issued_at, serial";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, value);
            return readCertificates(select);
        }
    }

    private static List<NodeCertificate> readCertificates(PreparedStatement select) throws SQLException {
        List<NodeCertificate> certificates = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                certificates.add(new NodeCertificate(row.getString("serial"), row.getString("node_id"),
                        Rows.instant(row, "not_before"), Rows.instant(row, "not_after"), Rows.instant(row, "issued_at"),
                        Rows.optionalInstant(row, "revoked_at"),
                        Optional.ofNullable(row.getString("revocation_reason"))));
            }
        }
        return certificates;
    }

    private static List<NodeControl> readControls(PreparedStatement select) throws SQLException {
        List<NodeControl> controls = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                controls.add(new NodeControl(row.getString("node_id"), row.getLong("desired_revision"),
                        row.getString("desired_sha256"), Rows.instant(row, "desired_at"),
                        row.getLong("applied_revision"), Rows.optionalInstant(row, "applied_at"),
                        Optional.ofNullable(row.getString("last_rejection")),
                        Optional.ofNullable(row.getString("weft_version"))));
            }
        }
        return controls;
    }

    private static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> time)
            throws SQLException {
        if (time.isPresent()) {
            Rows.setInstant(statement, index, millis(time.get()));
        } else {
            statement.setNull(index, Types.TIMESTAMP);
        }
    }

    private static void requireSha256(String hex) {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("Invalid SHA-256 '" + hex + "': expected 64 lower-case hex digits");
        }
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Instant millis(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS);
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
