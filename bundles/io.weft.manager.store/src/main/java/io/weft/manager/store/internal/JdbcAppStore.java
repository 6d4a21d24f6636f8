package io.weft.manager.store.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import io.weft.manager.store.AppStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredApp;
import io.weft.manager.store.StoredDeployment;

/** {@link AppStore} on a JDBC database whose schema the migrations created. */
final class JdbcAppStore implements AppStore {

    private static final String DEPLOYMENT = "deployment";

    private final ConnectionPool pool;
    private final Clock clock;

    JdbcAppStore(ConnectionPool pool, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StoredApp insertApp(StoredApp app) {
        return transaction("insert app " + app.name() + " " + app.version(), connection -> {
            try {
                AppTable.insert(connection, app);
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw new ConflictException(ConflictException.Reason.DUPLICATE, "app '" + app.name()
                            + "' version " + app.version() + " exists already; versions are immutable, so upload"
                            + " the bundle with a higher Bundle-Version");
                }
                throw e;
            }
            return AppTable.find(connection, app.name(), app.version()).orElseThrow();
        });
    }

    @Override
    public Optional<StoredApp> findApp(String name, String version) {
        return transaction("read app " + name + " " + version, connection -> AppTable.find(connection, name, version));
    }

    @Override
    public List<StoredApp> listApps() {
        return transaction("list apps", AppTable::list);
    }

    @Override
    public void updateSignature(String name, String version, String signature) {
        transaction("update the signature of app " + name + " " + version, connection -> {
            if (!AppTable.updateSignature(connection, name, version, signature)) {
                throw new NotFoundException("app", name + " " + version);
            }
            return null;
        });
    }

    @Override
    public void deleteApp(String name, String version) {
        transaction("delete app " + name + " " + version, connection -> {
            if (DeploymentTable.uses(connection, name, version)) {
                throw inUse(name, version);
            }
            try {
                if (!AppTable.delete(connection, name, version)) {
                    throw new NotFoundException("app", name + " " + version);
                }
            } catch (SQLException e) {
                if (SqlStates.isForeignKeyViolation(e)) {
                    throw inUse(name, version);
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public StoredDeployment insertDeployment(StoredDeployment deployment) {
        return transaction("insert deployment " + deployment.id(), connection -> {
            Instant now = now();
            try {
                DeploymentTable.insert(connection, deployment, now);
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw new ConflictException(ConflictException.Reason.DUPLICATE, "deployment '" + deployment.id()
                            + "' exists already");
                }
                if (SqlStates.isForeignKeyViolation(e)) {
                    throw missingApp(deployment);
                }
                throw e;
            }
            return DeploymentTable.find(connection, deployment.id()).orElseThrow();
        });
    }

    @Override
    public Optional<StoredDeployment> findDeployment(String id) {
        return transaction("read deployment " + id, connection -> DeploymentTable.find(connection, id));
    }

    @Override
    public List<StoredDeployment> listDeployments() {
        return transaction("list deployments", DeploymentTable::list);
    }

    @Override
    public StoredDeployment updateDeployment(long expectedVersion, StoredDeployment deployment) {
        return transaction("update deployment " + deployment.id(), connection -> {
            boolean updated;
            try {
                updated = DeploymentTable.update(connection, expectedVersion, deployment, now());
            } catch (SQLException e) {
                if (SqlStates.isForeignKeyViolation(e)) {
                    throw missingApp(deployment);
                }
                throw e;
            }
            if (!updated) {
                throw staleOrMissing(DeploymentTable.version(connection, deployment.id()), deployment.id(),
                        expectedVersion);
            }
            return DeploymentTable.find(connection, deployment.id()).orElseThrow();
        });
    }

    @Override
    public void deleteDeployment(String id, long expectedVersion) {
        transaction("delete deployment " + id, connection -> {
            if (!DeploymentTable.delete(connection, id, expectedVersion)) {
                throw staleOrMissing(DeploymentTable.version(connection, id), id, expectedVersion);
            }
            return null;
        });
    }

    private static StoreException staleOrMissing(OptionalLong stored, String id, long expectedVersion) {
        if (stored.isEmpty()) {
            return new NotFoundException(DEPLOYMENT, id);
        }
        return new StaleVersionException(DEPLOYMENT, id, expectedVersion, stored.getAsLong());
    }

    private static NotFoundException missingApp(StoredDeployment deployment) {
        return new NotFoundException("app", deployment.appName() + " " + deployment.appVersion());
    }

    private static ConflictException inUse(String name, String version) {
        return new ConflictException(ConflictException.Reason.IN_USE, "app '" + name + "' version " + version
                + " is named by a deployment; delete the deployment or move it to another version first");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
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
