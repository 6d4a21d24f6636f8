package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.store.Page;
import io.weft.manager.store.StoredFlow;

/**
 * One page of flow records, newest first.
 *
 * @param items      the records of this page
 * @param nextCursor the cursor parameter that fetches the next page, null on the last page
 */
public record FlowPageDto(List<FlowDto> items, String nextCursor) {

    static FlowPageDto of(Page<StoredFlow> page) {
        return new FlowPageDto(page.items().stream().map(FlowDto::of).toList(), page.nextCursor().orElse(null));
    }
}
