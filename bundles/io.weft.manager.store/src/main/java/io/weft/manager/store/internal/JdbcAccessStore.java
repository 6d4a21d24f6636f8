package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import io.weft.manager.access.ApiToken;
import io.weft.manager.access.Grant;
import io.weft.manager.access.Principal;
import io.weft.manager.access.Role;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.Operator;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredApiToken;

/**
 * {@link AccessStore} on a JDBC database whose schema the migrations created. Each method
 * validates its arguments, runs one transaction and turns SQL errors into the store's
 * exceptions. Operator times are stored with millisecond precision.
 */
final class JdbcAccessStore implements AccessStore {

    private static final Grant FLEET_ADMIN = Grant.fleetWide(Role.ADMIN);
    /** Form of the ids that {@code ApiTokens} creates: 16 lower-case hexadecimal digits. */
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");

    private final ConnectionPool pool;
    private final Clock clock;

    JdbcAccessStore(ConnectionPool pool, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Operator createOperator(String name, String passwordHash, Set<Grant> grants) {
        requireName(name);
        requirePasswordHash(passwordHash);
        requireGrants(grants);

        return transaction("create operator '" + name + "'", connection -> {
            try {
                OperatorTable.insert(connection, name, passwordHash, now());
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw new ConflictException(ConflictException.Reason.DUPLICATE,
                            "operator '" + name + "' already exists");
                }
                throw e;
            }
            OperatorTable.insertGrants(connection, name, grants);
            return OperatorTable.find(connection, name).orElseThrow();
        });
    }

    @Override
    public Optional<Operator> findOperator(String name) {
        requireName(name);
        return transaction("read operator '" + name + "'", connection -> OperatorTable.find(connection, name));
    }

    @Override
    public List<Operator> listOperators() {
        return transaction("list operators", OperatorTable::list);
    }

    @Override
    public Operator updatePassword(String name, long expectedVersion, String passwordHash) {
        requireName(name);
        requirePasswordHash(passwordHash);

        return transaction("update password of operator '" + name + "'", connection -> {
            if (!OperatorTable.update(connection, name, expectedVersion, "password_hash = ?", passwordHash, now())) {
                throw missingOrStale("operator", name, expectedVersion, OperatorTable.version(connection, name));
            }
            return OperatorTable.find(connection, name).orElseThrow();
        });
    }

    @Override
    public Operator setDisabled(String name, long expectedVersion, boolean disabled) {
        requireName(name);

        return transaction((disabled ? "disable" : "enable") + " operator '" + name + "'", connection -> {
            OperatorTable.lock(connection);
            requireVersion(connection, name, expectedVersion);
            if (disabled) {
                requireAnotherFleetAdmin(connection, name, "disable");
            }

            OperatorTable.update(connection, name, expectedVersion, "disabled = ?", disabled, now());
            return OperatorTable.find(connection, name).orElseThrow();
        });
    }

    @Override
    public Operator replaceGrants(String name, long expectedVersion, Set<Grant> grants) {
        requireName(name);
        requireGrants(grants);

        return transaction("replace grants of operator '" + name + "'", connection -> {
            OperatorTable.lock(connection);
            requireVersion(connection, name, expectedVersion);
            if (!grants.contains(FLEET_ADMIN)) {
                requireAnotherFleetAdmin(connection, name, "remove the fleet-wide admin grant of");
            }

            OperatorTable.deleteGrants(connection, name);
            OperatorTable.insertGrants(connection, name, grants);
            OperatorTable.incrementVersion(connection, name, expectedVersion, now());
            return OperatorTable.find(connection, name).orElseThrow();
        });
    }

    @Override
    public void deleteOperator(String name, long expectedVersion) {
        requireName(name);

        transaction("delete operator '" + name + "'", connection -> {
            OperatorTable.lock(connection);
            requireVersion(connection, name, expectedVersion);
            requireAnotherFleetAdmin(connection, name, "delete");

            return OperatorTable.delete(connection, name, expectedVersion);
        });
    }

    @Override
    public StoredApiToken createToken(ApiToken token) {
        Objects.requireNonNull(token, "token");

        return transaction("create API token " + token.id() + " of operator '" + token.owner() + "'", connection -> {
            try {
                TokenTable.insert(connection, token);
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw new ConflictException(ConflictException.Reason.DUPLICATE,
                            "API token " + token.id() + " already exists; issue a new token");
                }
                if (SqlStates.isForeignKeyViolation(e)) {
                    throw new NotFoundException("operator", token.owner());
                }
                throw e;
            }
            return TokenTable.find(connection, token.id()).orElseThrow();
        });
    }

    @Override
    public Optional<StoredApiToken> findToken(String id) {
        if (!isTokenId(id)) {
            return Optional.empty();
        }
        return transaction("read API token " + id, connection -> TokenTable.find(connection, id));
    }

    @Override
    public List<StoredApiToken> listTokens(String owner) {
        requireName(owner);
        return transaction("list API tokens of operator '" + owner + "'",
                connection -> TokenTable.listByOwner(connection, owner));
    }

    @Override
    public StoredApiToken revokeToken(String id) {
        requireTokenId(id);

        return transaction("revoke API token " + id, connection -> {
            if (!TokenTable.revoke(connection, id)) {
                throw new NotFoundException("API token", id);
            }
            return TokenTable.find(connection, id).orElseThrow();
        });
    }

    @Override
    public void recordTokenUse(String id, Instant time) {
        requireTokenId(id);
        Objects.requireNonNull(time, "time");

        transaction("record use of API token " + id, connection -> {
            if (!TokenTable.recordUse(connection, id, time)) {
                throw new NotFoundException("API token", id);
            }
            return null;
        });
    }

    /**
     * Rejects a change that removes the operator's status of enabled fleet-wide admin when no
     * other operator has it. The caller holds the operator table lock.
     */
    private static void requireAnotherFleetAdmin(Connection connection, String name, String change)
            throws SQLException {
        Set<String> admins = OperatorTable.enabledFleetAdmins(connection);
        if (admins.contains(name) && admins.size() == 1) {
            throw new ConflictException(ConflictException.Reason.LAST_ADMIN, "Cannot " + change + " operator '" + name
                    + "': it is the last enabled operator with the admin role over the whole fleet. Grant that role"
                    + " to another enabled operator first.");
        }
    }

    private static void requireVersion(Connection connection, String name, long expectedVersion)
            throws SQLException {
        OptionalLong version = OperatorTable.version(connection, name);
        if (version.isEmpty() || version.getAsLong() != expectedVersion) {
            throw missingOrStale("operator", name, expectedVersion, version);
        }
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!Principal.normalizeName(name).equals(name)) {
            throw new IllegalArgumentException("User name '" + name
                    + "' is not in lower case; pass it through Principal.normalizeName first");
        }
    }

    private static void requirePasswordHash(String passwordHash) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (passwordHash.length() > MAX_PASSWORD_HASH_LENGTH || !passwordHash.startsWith("$")
                || !passwordHash.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("Invalid password hash: expected a PHC string of printable ASCII"
                    + " characters starting with '$', at most " + MAX_PASSWORD_HASH_LENGTH + " characters long");
        }
    }

    private static void requireGrants(Set<Grant> grants) {
        Objects.requireNonNull(grants, "grants");
        grants.forEach(grant -> Objects.requireNonNull(grant, "grant"));
    }

    private static boolean isTokenId(String id) {
        return id != null && TOKEN_ID.matcher(id).matches();
    }

    private static void requireTokenId(String id) {
        if (!isTokenId(id)) {
            throw new NotFoundException("API token", String.valueOf(id));
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

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static StoreException missingOrStale(String entity, String key, long expectedVersion, OptionalLong actual) {
        if (actual.isEmpty()) {
            return new NotFoundException(entity, key);
        }
        return new StaleVersionException(entity, key, expectedVersion, actual.getAsLong());
    }
}
