package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.store.Domain;
import io.weft.manager.store.Page;

/**
 * One page of domains in name order.
 *
 * @param items      the domains of this page
 * @param nextCursor the cursor parameter that fetches the next page, null on the last page
 */
public record DomainPageDto(List<DomainDto> items, String nextCursor) {

    static DomainPageDto of(Page<Domain> page) {
        return new DomainPageDto(page.items().stream().map(DomainDto::of).toList(), page.nextCursor().orElse(null));
    }
}
