package io.weft.manager.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.store.StoreException;

/**
 * Creates data sources from JDBC URLs. Inside OSGi, {@code java.sql.DriverManager} cannot see
 * drivers in other bundles, so the store instantiates each product's data source class.
 */
final class DataSources {

    /** Derby's system property for the file that replaces derby.log in the working directory. */
    static final String DERBY_ERROR_FILE = "derby.stream.error.file";

    /** Derby's SQL state for a database that shut down as requested. */
    private static final String DERBY_DATABASE_SHUT_DOWN = "08006";
    /** Derby's SQL state for a shutdown request to a database that is not booted. */
    private static final String DERBY_DATABASE_NOT_FOUND = "XJ004";

    private static final Logger LOG = LoggerFactory.getLogger(DataSources.class);

    private DataSources() {
    }

    /**
     * Creates a data source for the URL.
     *
     * @param user user name, or an empty string for none
     * @param password password, or null for none
     * @throws IllegalArgumentException if the URL is not an embedded Derby or a PostgreSQL URL
     */
    static DataSource create(String jdbcUrl, String user, String password) {
        return switch (Dialect.ofUrl(jdbcUrl)) {
            case DERBY -> derby(DerbyUrl.parse(jdbcUrl), user, password);
            case POSTGRESQL -> postgresql(jdbcUrl, user, password);
        };
    }

    private static EmbeddedDataSource derby(DerbyUrl url, String user, String password) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(url.databaseName());
        if (!url.attributes().isEmpty()) {
            dataSource.setConnectionAttributes(url.attributes());
        }
        if (!user.isEmpty()) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    private static DataSource postgresql(String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        if (!user.isEmpty()) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    /**
     * Points Derby's log file at {@code derby.log} beside the database folder, unless the system
     * property {@value #DERBY_ERROR_FILE} is set already or the database is not a folder.
     * Without it, Derby writes derby.log into the working directory of the JVM.
     *
     * @throws StoreException if the folder for derby.log cannot be created
     *
     * <p>NOTE: Derby reads the property once, when its engine boots in this JVM, so a later
     * database of the same JVM keeps logging into the first file.
     */
    static void placeDerbyLog(String jdbcUrl) {
        if (System.getProperty(DERBY_ERROR_FILE) != null) {
            return;
        }
        Optional<Path> folder = DerbyUrl.parse(jdbcUrl).folder();
        if (folder.isEmpty()) {
            return;
        }

        // Derby resolves a relative database folder against derby.system.home.
        Path home = Path.of(System.getProperty("derby.system.home", System.getProperty("user.dir")));
        Path log = home.resolve(folder.get()).toAbsolutePath().resolveSibling("derby.log");
        try {
            // Derby opens the log when its engine boots, before it creates the database folder.
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new StoreException("Failed to create the folder " + log.getParent() + " for derby.log: " + e, e);
        }
        System.setProperty(DERBY_ERROR_FILE, log.toString());
    }

    /**
     * Shuts down an embedded Derby database so that its files are closed and its lock is
     * released. A database that is not booted is left alone.
     */
    static void shutdownDerby(String jdbcUrl, String user, String password) {
        EmbeddedDataSource dataSource = derby(DerbyUrl.parse(jdbcUrl).withoutAttributes(), user, password);
        dataSource.setShutdownDatabase("shutdown");
        try {
            dataSource.getConnection().close();
            LOG.warn("Derby database {} did not report its shutdown", dataSource.getDatabaseName());
        } catch (SQLException e) {
            boolean done = DERBY_DATABASE_SHUT_DOWN.equals(e.getSQLState())
                    || DERBY_DATABASE_NOT_FOUND.equals(e.getSQLState());
            if (!done) {
                LOG.warn("Failed to shut down Derby database {}: {}", dataSource.getDatabaseName(), e.getMessage());
            }
        }
    }
}
