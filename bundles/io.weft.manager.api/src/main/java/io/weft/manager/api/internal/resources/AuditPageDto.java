package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.audit.AuditEntry;
import io.weft.manager.store.Page;

/**
 * One page of audit log entries in sequence order.
 *
 * @param items      the entries of this page
 * @param nextCursor the cursor parameter that fetches the next page, null on the last page
 */
public record AuditPageDto(List<AuditEntryDto> items, String nextCursor) {

    static AuditPageDto of(Page<AuditEntry> page) {
        return new AuditPageDto(page.items().stream().map(AuditEntryDto::of).toList(), page.nextCursor().orElse(null));
    }
}
