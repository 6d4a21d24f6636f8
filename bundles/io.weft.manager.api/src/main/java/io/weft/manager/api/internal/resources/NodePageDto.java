package io.weft.manager.api.internal.resources;

import java.util.List;
import java.util.Map;

import io.weft.manager.api.internal.fleet.NodeControlReader.ControlView;
import io.weft.manager.store.Node;
import io.weft.manager.store.Page;

/**
 * One page of nodes in full-name order.
 *
 * @param items      the nodes of this page
 * @param nextCursor the cursor parameter that fetches the next page, null on the last page
 */
public record NodePageDto(List<NodeDto> items, String nextCursor) {

    /** Builds the page from the nodes and their control state by node id. */
    static NodePageDto of(Page<Node> page, Map<String, ControlView> controls) {
        return new NodePageDto(page.items().stream().map(node -> NodeDto.of(node, controls.get(node.id()))).toList(),
                page.nextCursor().orElse(null));
    }
}
