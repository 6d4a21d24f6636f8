package io.weft.manager.api.internal.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Permissions;
import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditVerification;
import io.weft.manager.audit.AuditVerifier;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.Page;

/**
 * Reads, exports and verifies the audit log. Every method needs READ_AUDIT over the whole
 * fleet, because entries about operators and tokens belong to no domain.
 */
@Component(service = AuditLogService.class)
public class AuditLogService {

    /**
     * Filters of a listing; null fields do not filter.
     *
     * @param actor  only entries of this operator
     * @param action only entries of this action, such as {@code node.update}
     * @param target only entries whose target starts with this text
     * @param from   only entries recorded at or after this ISO-8601 instant
     * @param to     only entries recorded before this ISO-8601 instant
     * @param cursor the nextCursor of the previous page
     * @param limit  maximum entries on the page
     */
    public record Filter(String actor, String action, String target, String from, String to, String cursor,
            String limit) {
    }

    private final AuditStore store;

    @Activate
    public AuditLogService(@Reference AuditStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Lists entries in sequence order, oldest first. */
    public Page<AuditEntry> list(Caller caller, Filter filter) {
        AuditQuery query = new AuditQuery(text(filter.actor()), text(filter.action()), text(filter.target()),
                instant("from", filter.from()), instant("to", filter.to()), false, cursor(filter.cursor()),
                limit(filter.limit()));
        checkReadAudit(caller);

        return store.listEntries(query);
    }

    /** Returns every entry in sequence order, read page by page while the caller iterates. */
    public Iterable<AuditEntry> export(Caller caller) {
        checkReadAudit(caller);
        return store.entries();
    }

    /**
     * Verifies the whole log, and that it still contains the entry of a published anchor.
     *
     * @param anchor {@code <sequence>:<hash>} as an earlier verification returned it, or null
     */
    public AuditVerification verify(Caller caller, String anchor) {
        Optional<AuditAnchor> published = text(anchor).map(AuditLogService::anchor);
        checkReadAudit(caller);

        Iterable<AuditEntry> entries = store.entries();
        return published.map(a -> AuditVerifier.verify(entries, a)).orElseGet(() -> AuditVerifier.verify(entries));
    }

    private static void checkReadAudit(Caller caller) {
        Permissions.check(caller, Action.READ_AUDIT, AccessTarget.fleet());
    }

    private static Optional<String> text(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Instant> instant(String field, String value) {
        try {
            return text(value).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, "Invalid time '" + abbreviate(value)
                    + "': send an ISO-8601 instant in UTC, such as 2026-01-31T12:00:00Z.");
        }
    }

    private static Optional<String> cursor(String value) {
        Optional<String> cursor = text(value);
        if (cursor.isPresent() && !cursor.get().matches("\\d{1,18}")) {
            throw new InvalidFieldException("cursor", "Invalid cursor '" + abbreviate(value)
                    + "': pass the nextCursor of the previous page unchanged, or leave the cursor out for the"
                    + " first page.");
        }
        return cursor;
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return AuditQuery.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= AuditQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw new InvalidFieldException("limit", "Invalid limit '" + abbreviate(value) + "': send a whole number from 1"
                + " to " + AuditQuery.MAX_LIMIT + ".");
    }

    private static AuditAnchor anchor(String value) {
        try {
            return AuditAnchor.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("anchor", e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
