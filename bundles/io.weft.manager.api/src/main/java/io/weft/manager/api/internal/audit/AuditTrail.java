package io.weft.manager.api.internal.audit;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.api.events.FleetChange;
import io.weft.manager.api.events.FleetChangeListener;
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
 *
 * <p>A change that affects the desired state of nodes names them through
 * {@link #atomically(Supplier, Function)}, which notifies every {@link FleetChangeListener} after
 * the transaction has committed.
 */
@Component(service = AuditTrail.class)
public class AuditTrail {

    /** Actor of changes that the manager makes by itself, such as creating the first admin. */
    public static final String SYSTEM = "system";

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuditStore store;
    private final StoreTransactions transactions;
    private final List<FleetChangeListener> listeners = new CopyOnWriteArrayList<>();

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

    /**
     * Runs a change and its entries in one transaction like {@link #atomically(Supplier)}, then,
     * once it has committed, notifies every {@link FleetChangeListener} which nodes it affects. A
     * change that fails notifies no one. Call it outside other transactions, because inside one
     * the listeners would hear of the change before it commits.
     *
     * @param affected returns the domain subtree or node that the committed result affects
     */
    public <T> T atomically(Supplier<T> change, Function<? super T, FleetChange> affected) {
        T result = atomically(change);

        notifyListeners(affected.apply(result));
        return result;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addFleetChangeListener(FleetChangeListener listener) {
        listeners.add(listener);
    }

    public void removeFleetChangeListener(FleetChangeListener listener) {
        listeners.remove(listener);
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

    private void notifyListeners(FleetChange change) {
        for (FleetChangeListener listener : listeners) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                LOG.warn("Fleet change: listener {} failed on {} {}", listener.getClass().getName(), change.scope(),
                        change.target(), e);
            }
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
