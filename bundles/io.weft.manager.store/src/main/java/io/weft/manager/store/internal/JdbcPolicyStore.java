package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredPolicy;

/**
 * {@link PolicyStore} on a JDBC database whose schema the migrations created. The first write
 * inserts the row. When two first writes race, the primary key rejects the second, which then
 * reports the version that the first one stored.
 */
final class JdbcPolicyStore implements PolicyStore {

    private static final String ENTITY = "policy";
    private static final String KEY = "fleet";

    private final ConnectionPool pool;
    private final Clock clock;

    JdbcPolicyStore(ConnectionPool pool, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<StoredPolicy> findPolicy() {
        return transaction("read the policy", PolicyTable::find);
    }

    @Override
    public long policyVersion() {
        return transaction("read the policy version", PolicyTable::version).orElse(EMPTY_VERSION);
    }

    @Override
    public StoredPolicy replacePolicy(long expectedVersion, String json) {
        requireDocument(json);

        return transaction("replace the policy at version " + expectedVersion, connection -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (expectedVersion == EMPTY_VERSION) {
                insertFirst(connection, json, now);
            } else if (!PolicyTable.update(connection, expectedVersion, json, now)) {
                throw stale(expectedVersion, PolicyTable.version(connection));
            }
            return PolicyTable.find(connection).orElseThrow();
        });
    }

    private static void insertFirst(Connection connection, String json, Instant now) throws SQLException {
        OptionalLong stored = PolicyTable.version(connection);
        if (stored.isPresent()) {
            throw stale(EMPTY_VERSION, stored);
        }
        try {
            PolicyTable.insert(connection, json, now);
        } catch (SQLException e) {
            if (SqlStates.isUniqueViolation(e)) {
                // The other writer's row is not visible to this transaction, so its version
                // cannot be read here. Every first write stores version 1.
                throw new StaleVersionException(ENTITY, KEY, EMPTY_VERSION, 1);
            }
            throw e;
        }
    }

    private static StaleVersionException stale(long expectedVersion, OptionalLong stored) {
        return new StaleVersionException(ENTITY, KEY, expectedVersion, stored.orElse(EMPTY_VERSION));
    }

    private static void requireDocument(String json) {
        Objects.requireNonNull(json, "json");
        if (json.isEmpty() || json.length() > MAX_POLICY_LENGTH) {
            throw new IllegalArgumentException("policy document has " + json.length() + " characters; it must have 1 to "
                    + MAX_POLICY_LENGTH);
        }
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
