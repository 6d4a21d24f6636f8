package io.weft.manager.store.internal;

import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;

import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoreTransactions;

/** {@link StoreTransactions} on the connection pool that the stores share. */
final class JdbcTransactions implements StoreTransactions {

    private final ConnectionPool pool;

    JdbcTransactions(ConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        try {
            return pool.joining(work);
        } catch (SQLException e) {
            throw new StoreException("Failed to commit a transaction: " + e.getMessage() + " (SQL state "
                    + e.getSQLState() + "); none of its changes was stored, so the request can be sent again", e);
        }
    }
}
