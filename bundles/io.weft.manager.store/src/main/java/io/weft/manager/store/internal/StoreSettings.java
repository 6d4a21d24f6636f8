package io.weft.manager.store.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Validated settings of the store's database connection. The password is not part of them: it
 * is read from {@link #passwordFile()} when the database opens, so it never appears in a
 * {@code toString()}.
 *
 * @param jdbcUrl JDBC URL of an embedded Derby or a PostgreSQL database
 * @param user user name, or an empty string for none
 * @param passwordFile file that contains the password, if the database needs one
 * @param maxConnections maximum number of open connections
 * @param acquireTimeout maximum wait for a free connection
 */
record StoreSettings(String jdbcUrl, String user, Optional<Path> passwordFile, int maxConnections,
        Duration acquireTimeout) {

    StoreSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        Dialect.ofUrl(jdbcUrl);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("Invalid maxConnections " + maxConnections + ": expected 1 or more");
        }
        if (acquireTimeout.isNegative() || acquireTimeout.isZero()) {
            throw new IllegalArgumentException("Invalid connection timeout " + acquireTimeout.toSeconds()
                    + " s: expected 1 s or more");
        }
    }

    /** Returns the default URL: a Derby database in {@code <karaf.data>/weft/manager-db}, created on first use. */
    static String defaultJdbcUrl(Path karafData) {
        return "jdbc:derby:" + karafData.resolve("weft").resolve("manager-db").toAbsolutePath() + ";create=true";
    }

    Dialect dialect() {
        return Dialect.ofUrl(jdbcUrl);
    }

    @Override
    public String toString() {
        return "jdbcUrl=" + JdbcUrls.redact(jdbcUrl) + ", user=" + (user.isEmpty() ? "(none)" : "'" + user + "'")
                + ", passwordFile=" + passwordFile.map(Path::toString).orElse("(none)") + ", maxConnections="
                + maxConnections + ", connectionTimeoutSeconds=" + acquireTimeout.toSeconds();
    }
}
