package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.api.internal.fleet.NodeChange;

/**
 * Body of {@code POST /nodes}.
 *
 * @param name        the node's name within its domain, one DNS label
 * @param domain      an existing domain
 * @param role        {@code edge} or {@code gateway}
 * @param tags        tags, optional
 * @param cluster     the cluster whose services the node serves, optional
 * @param description free text for operators, optional
 */
public record NodeCreateRequest(String name, String domain, String role, List<String> tags, String cluster,
        String description) {

    NodeChange change() {
        return new NodeChange(role, tags, cluster, description);
    }
}
