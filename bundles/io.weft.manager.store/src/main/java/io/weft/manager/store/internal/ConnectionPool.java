package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.weft.manager.store.StoreException;

/**
 * A bounded pool of JDBC connections that runs units of work in transactions.
 *
 * <p>At most {@code maxConnections} connections are open at once; a caller waits up to the
 * acquire timeout for a free one. An idle connection is checked with
 * {@link Connection#isValid} before reuse once it has been idle longer than
 * {@value #VALIDATE_AFTER_IDLE_SECONDS} s, and a connection that failed with a connection
 * error (SQL state class 08) is closed instead of returned.
 *
 * <p>A unit of work that starts while the same thread runs one already joins it: it uses
 * the outer unit's connection and leaves the commit or rollback to the outer unit. That is
 * how {@link #joining} lets a caller make several store calls, such as a change and its audit
 * entry, one transaction.
 */
final class ConnectionPool implements AutoCloseable {

    static final int VALIDATE_AFTER_IDLE_SECONDS = 10;
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final int maxConnections;
    private final Duration acquireTimeout;
    private final Semaphore permits;
    private final Deque<IdleConnection> idle = new ArrayDeque<>();
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private boolean closed;

    /** A unit of work on a connection whose transaction the pool commits or rolls back. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private record IdleConnection(Connection connection, long idleSinceNanos) {
    }

    ConnectionPool(DataSource dataSource, int maxConnections, Duration acquireTimeout) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("Invalid maximum of connections " + maxConnections + ": expected 1 or more");
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.maxConnections = maxConnections;
        this.acquireTimeout = Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        this.permits = new Semaphore(maxConnections, true);
    }

    /**
     * Runs the work in a transaction: commits when it returns, rolls back when it throws.
     *
     * @throws SQLException from the work, the commit or the connection
     * @throws StoreException if no connection becomes free within the acquire timeout, or the
     *         pool is closed
     */
    <T> T inTransaction(Work<T> work) throws SQLException {
        Connection joined = current.get();
        if (joined != null) {
            return work.run(joined);
        }

        acquirePermit();
        Connection connection = null;
        boolean broken = false;
        try {
            connection = take();
            current.set(connection);
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            boolean rolledBack = rollback(connection, e);
            broken = isConnectionError(e) || !rolledBack;
            throw e;
        } finally {
            current.remove();
            giveBack(connection, broken);
            permits.release();
        }
    }

    /**
     * Runs the work in one transaction that every unit of work this thread starts inside it
     * joins: all of them commit together when the work returns, and roll back together when
     * it throws.
     *
     * @throws SQLException from the commit or the connection
     */
    <T> T joining(Supplier<T> work) throws SQLException {
        return inTransaction(connection -> work.get());
    }

    private void acquirePermit() {
        try {
            if (!permits.tryAcquire(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreException("No database connection became free within " + acquireTimeout.toMillis()
                        + " ms: all " + maxConnections + " connections are in use; raise maxConnections of the "
                        + "manager store if this repeats");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for a database connection", e);
        }
    }

    private Connection take() throws SQLException {
        while (true) {
            IdleConnection candidate;
            synchronized (this) {
                if (closed) {
                    throw new StoreException("The manager store is closed");
                }
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return open();
            }
            if (isUsable(candidate)) {
                return candidate.connection();
            }
            closeQuietly(candidate.connection());
        }
    }

    private Connection open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static boolean isUsable(IdleConnection candidate) {
        long idleNanos = System.nanoTime() - candidate.idleSinceNanos();
        if (idleNanos < TimeUnit.SECONDS.toNanos(VALIDATE_AFTER_IDLE_SECONDS)) {
            return true;
        }
        try {
            return candidate.connection().isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void giveBack(Connection connection, boolean broken) {
        if (connection == null) {
            return;
        }
        synchronized (this) {
            if (!closed && !broken) {
                idle.addFirst(new IdleConnection(connection, System.nanoTime()));
                return;
            }
        }
        closeQuietly(connection);
    }

    private static boolean isConnectionError(Exception e) {
        return e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
    }

    /** Rolls back and returns whether that worked, so that a failed connection is not reused. */
    private static boolean rollback(Connection connection, Exception failure) {
        if (connection == null) {
            return true;
        }
        try {
            connection.rollback();
            return true;
        } catch (SQLException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    /** Closes the idle connections. A connection in use closes when its work ends. */
    @Override
    public void close() {
        Deque<IdleConnection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(entry -> closeQuietly(entry.connection()));
    }

    /** Returns the number of open connections that no transaction uses. */
    synchronized int idleCount() {
        return idle.size();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The connection is discarded either way, so a failure to close it changes nothing.
        }
    }
}
