package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.store.Node;
import io.weft.manager.store.Page;

/**
 * One page of nodes in full-name order.
 *
 * @param items      the nodes of this page
 * @param nextCursor the cursor parameter that fetches the next page, null on the last page
 */
public record NodePageDto(List<NodeDto> items, String nextCursor) {

    static NodePageDto of(Page<Node> page) {
        return new NodePageDto(page.items().stream().map(NodeDto::of).toList(), page.nextCursor().orElse(null));
    }
}
