package io.weft.manager.apps.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.Page;

/** Lists the nodes that a deployment's target selects, leaving out revoked nodes. */
final class TargetNodes {

    private final FleetStore fleet;

    TargetNodes(FleetStore fleet) {
        this.fleet = fleet;
    }

    List<Node> of(DeploymentSpec.Target target) {
        NodeQuery query = NodeQuery.all().withLimit(NodeQuery.MAX_LIMIT);
        if (target.domain() != null) {
            query = query.inSubtree(target.domain());
        }
        for (String tag : target.tags()) {
            query = query.withTag(tag);
        }
        List<Node> nodes = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<Node> page = fleet.listNodes(cursor.map(query::after).orElse(query));
            page.items().stream().filter(node -> node.state() != NodeState.REVOKED).filter(target::matches)
                    .forEach(nodes::add);
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return nodes;
    }
}
