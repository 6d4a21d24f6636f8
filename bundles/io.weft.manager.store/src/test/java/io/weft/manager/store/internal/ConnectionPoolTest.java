package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.weft.manager.store.StoreException;

/** The pool on a new in-memory Derby database per test. */
class ConnectionPoolTest {

    private final String databaseName = "memory:pool-" + UUID.randomUUID();
    private ConnectionPool pool;

    @BeforeEach
    void createTable() throws SQLException {
        pool = new ConnectionPool(dataSource("create=true"), 2, Duration.ofMillis(300));
        pool.inTransaction(connection -> execute(connection, "CREATE TABLE t (x INT)"));
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        try {
            dataSource("drop=true").getConnection().close();
        } catch (SQLException e) {
            // Derby reports a dropped database with an exception (SQL state 08006).
        }
    }

    @Test
    void commitsWhenWorkReturns() throws SQLException {
        pool.inTransaction(connection -> execute(connection, "INSERT INTO t VALUES (1)"));

        assertThat(count()).isEqualTo(1);
    }

    @Test
    void rollsBackWhenWorkThrows() throws SQLException {
        assertThatThrownBy(() -> pool.inTransaction(connection -> {
            execute(connection, "INSERT INTO t VALUES (1)");
            throw new IllegalStateException("work failed");
        })).hasMessage("work failed");

        assertThat(count()).isZero();
    }

    @Test
    void reusesConnections() throws SQLException {
        Connection first = pool.inTransaction(connection -> connection);
        Connection second = pool.inTransaction(connection -> connection);

        assertThat(second).isSameAs(first);
        assertThat(pool.idleCount()).isEqualTo(1);
    }

    @Test
    void discardsConnectionAfterConnectionError() throws SQLException {
        Connection first = pool.inTransaction(connection -> connection);

        assertThatThrownBy(() -> pool.inTransaction(connection -> {
            throw new SQLTransientConnectionException("link down", "08006");
        })).isInstanceOf(SQLException.class);

        assertThat(pool.idleCount()).isZero();
        assertThat(first.isClosed()).isTrue();
    }

    @Test
    void waitsForFreeConnectionThenTimesOut() throws Exception {
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = executor.submit(() -> hold(holding, release));
            Future<?> second = executor.submit(() -> hold(holding, release));
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("both connections taken within 10 s").isTrue();

            assertThatThrownBy(() -> pool.inTransaction(connection -> null))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("No database connection became free within 300 ms: all 2 connections are "
                            + "in use");

            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            executor.shutdown();
        }
        String result = pool.inTransaction(connection -> "free again");
        assertThat(result).isEqualTo("free again");
    }

    @Test
    void closedPoolRejectsWork() {
        pool.close();

        assertThatThrownBy(() -> pool.inTransaction(connection -> null))
                .isInstanceOf(StoreException.class).hasMessage("The manager store is closed");
    }

    private Void hold(CountDownLatch holding, CountDownLatch release) throws SQLException {
        return pool.inTransaction(connection -> {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    private int count() throws SQLException {
        return pool.inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    private static Void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }

    private EmbeddedDataSource dataSource(String attributes) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(databaseName);
        dataSource.setConnectionAttributes(attributes);
        return dataSource;
    }
}
