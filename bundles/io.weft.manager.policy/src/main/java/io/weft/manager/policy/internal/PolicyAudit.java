package io.weft.manager.policy.internal;

import java.util.function.Supplier;

import io.weft.manager.access.ApiCaller;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.StoreTransactions;

/**
 * Appends the audit entry of each policy change in the database transaction of the change, so
 * that both commit or neither does. The entry's states are the JSON that the API returns for
 * the document or the rule, before and after the change.
 */
final class PolicyAudit {

    private final AuditStore store;
    private final StoreTransactions transactions;

    PolicyAudit(AuditStore store, StoreTransactions transactions) {
        this.store = store;
        this.transactions = transactions;
    }

    /** Runs a change and the entries it records in one transaction. */
    <T> T atomically(Supplier<T> change) {
        return transactions.inTransaction(change);
    }

    /**
     * Records a change.
     *
     * @param before the JSON of the document or rule before the change, null for a creation
     * @param after  the JSON after the change, null for a deletion
     * @throws io.weft.manager.store.StoreException when the entry cannot be appended, which rolls
     *         back the change inside {@link #atomically}
     */
    void record(ApiCaller caller, String action, String target, String before, String after) {
        store.append(new AuditEvent(caller.getName(), caller.remoteAddress(), action, target, before, after));
    }
}
