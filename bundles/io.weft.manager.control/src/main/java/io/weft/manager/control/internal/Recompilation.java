package io.weft.manager.control.internal;

import java.util.Set;

/**
 * The nodes that one run of the compile worker recompiles, merged from all requests since the
 * previous run.
 *
 * @param allNodes       every node of the fleet
 * @param domainSubtrees domains whose nodes, and the nodes of their subdomains, are recompiled
 * @param nodeIds        single nodes, which may have been deleted since
 */
record Recompilation(boolean allNodes, Set<String> domainSubtrees, Set<String> nodeIds) {

    Recompilation {
        domainSubtrees = Set.copyOf(domainSubtrees);
        nodeIds = Set.copyOf(nodeIds);
    }
}
