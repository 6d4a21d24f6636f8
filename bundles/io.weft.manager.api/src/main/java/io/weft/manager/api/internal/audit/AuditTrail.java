package io.weft.manager.api.internal.audit;

import java.util.Objects;

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

/**
 * Appends one audit entry per change made through the API: who, from where, which action on
 * which target, and the target's API representation before and after as JSON.
 *
 * <p>NOTE: the change and its audit entry are two database transactions, the change first. If
 * the append fails after the change committed, the change stays and has no entry: the request
 * then fails with an internal error whose log line contains the whole event, so that an
 * operator can see what the log lacks. A crash between the two transactions leaves no trace
 * at all. Writing both in one transaction needs a store method that takes the change and the
 * event together. The resources read the state before a change in a transaction of its own
 * too. The version in If-Match makes it the state that the change replaced, unless other
 * changes commit between the read and the change and end at that very version.
 */
@Component(service = AuditTrail.class)
public class AuditTrail {

    /** Actor of changes that the manager makes by itself, such as creating the first admin. */
    public static final String SYSTEM = "system";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuditStore store;

    @Activate
    public AuditTrail(@Reference AuditStore store) {
        this.store = Objects.requireNonNull(store, "store");
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
     * @throws AuditAppendException when the entry cannot be appended; the change is already committed
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
