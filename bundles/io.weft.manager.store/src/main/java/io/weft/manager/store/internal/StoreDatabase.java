package io.weft.manager.store.internal;

import java.time.Clock;

import javax.sql.DataSource;

import io.weft.manager.store.internal.migration.MigrationRunner;

/**
 * The store's open database: the data source, its migrated schema and the connection pool.
 * Closing it closes the pool and, for embedded Derby, shuts the database down so that its
 * files are released.
 */
final class StoreDatabase implements AutoCloseable {

    private final StoreSettings settings;
    private final String password;
    private final MigrationRunner.Result migration;
    private final ConnectionPool pool;

    private StoreDatabase(StoreSettings settings, String password, MigrationRunner.Result migration,
            ConnectionPool pool) {
        this.settings = settings;
        this.password = password;
        this.migration = migration;
        this.pool = pool;
    }

    /**
     * Connects, applies pending migrations and opens the pool.
     *
     * @param password the password, or null for none
     * @throws io.weft.manager.store.StoreException if the database cannot be opened or migrated
     */
    static StoreDatabase open(StoreSettings settings, String password, Clock clock) {
        Dialect dialect = settings.dialect();
        if (dialect == Dialect.DERBY) {
            DataSources.placeDerbyLog(settings.jdbcUrl());
        }

        DataSource dataSource = DataSources.create(settings.jdbcUrl(), settings.user(), password);
        try {
            MigrationRunner.Result migration = new MigrationRunner(dataSource, FleetSchema.migrations(),
                    dialect.migrationPlaceholders(), clock).migrate();
            ConnectionPool pool = new ConnectionPool(dataSource, settings.maxConnections(), settings.acquireTimeout());
            return new StoreDatabase(settings, password, migration, pool);
        } catch (RuntimeException e) {
            shutDownDerby(settings, password);
            throw e;
        }
    }

    ConnectionPool pool() {
        return pool;
    }

    MigrationRunner.Result migration() {
        return migration;
    }

    @Override
    public void close() {
        pool.close();
        shutDownDerby(settings, password);
    }

    private static void shutDownDerby(StoreSettings settings, String password) {
        if (settings.dialect() == Dialect.DERBY) {
            DataSources.shutdownDerby(settings.jdbcUrl(), settings.user(), password);
        }
    }
}
