package io.weft.manager.api.internal.audit;

import java.util.Objects;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoreTransactions;

/**
 * Appends one audit entry per change made through the API: who, from where, which action on
 * which target, and the target's API representation before and after as JSON.
 *
 * <p>Callers run the read of the state before, the change and {@link #record} inside
 * {@link #atomically}, one database transaction: the change and its entry commit together or
 * not at all, and the state before is the state that the change replaced.
 */
@Component(service = AuditTrail.class)
public class AuditTrail {

    /** Actor of changes that the manager makes by itself, such as creating the first admin. */
    public static final String SYSTEM = "system";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuditStore store;
    private final StoreTransactions transactions;

    @Activate
    public AuditTrail(@Reference AuditStore store, @Reference StoreTransactions transactions) {
        this.store = Objects.requireNonNull(store, "store");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * Runs a change and the entries that it records in one transaction: when the change or an
     * append fails, neither is stored.
     */
    public <T> T atomically(Supplier<T> change) {
        return transactions.inTransaction(change);
    }

    /** Runs a change without result and its entries in one transaction. */
    public void atomically(Runnable change) {
        atomically(() -> {
            change.run();
            return null;
        });
    }

    /** Records a change that the caller made through the API. */
    public AuditEntry record(Caller caller, String action, String target, Object before, Object after) {
        return record(caller.getName(), caller.remoteAddress(), action, target, before, after);
    }

    /**
     * Records a change.
     *
     * @param before the object's API representation before the change, null for a creation
     * @param after  the object's API representation after the change, null for a deletion
     * @throws AuditAppendException when the entry cannot be appended, which rolls back the change
     *         when it runs inside {@link #atomically}
     */
    public AuditEntry record(String actor, String remoteAddress, String action, String target, Object before,
            Object after) {
        AuditEvent event = new AuditEvent(actor, remoteAddress, action, target, json(before), json(after));
        try {
            return store.append(event);
        } catch (StoreException e) {
            throw new AuditAppendException(event, e);
        }
    }

    private static String json(Object state) {
        if (state == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Failed to write the audit state " + state.getClass().getName()
                    + " as JSON", e);
        }
    }
}
