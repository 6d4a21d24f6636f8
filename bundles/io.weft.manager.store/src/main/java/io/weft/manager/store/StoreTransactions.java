package io.weft.manager.store;

import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes several store calls one database transaction, such as a change and its audit entry,
 * so that both commit or neither does.
 *
 * <p>Every call of {@link FleetStore}, {@link AccessStore} and {@link AuditStore} that the
 * work makes on the calling thread joins the transaction instead of committing on its own.
 * Calls from other threads are not part of it. The work must not catch a store exception
 * and go on writing: on PostgreSQL a failed statement aborts the whole transaction.
 */
@ProviderType
public interface StoreTransactions {

    /**
     * Runs the work in one transaction: commits when it returns, rolls back everything it
     * wrote when it throws. A call inside another one joins the outer transaction.
     *
     * @throws StoreException if the transaction cannot be committed, or no connection is free
     */
    <T> T inTransaction(Supplier<T> work);
}
