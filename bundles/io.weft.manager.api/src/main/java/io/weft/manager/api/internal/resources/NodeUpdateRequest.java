package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.api.internal.fleet.NodeChange;

/**
 * Body of {@code PUT /nodes/{fullName}}: replaces every field an operator sets. A node's name
 * and domain never change, and its state changes through {@code PUT /nodes/{fullName}/state}.
 *
 * @param role        {@code edge} or {@code gateway}
 * @param tags        tags; absent clears them
 * @param cluster     the cluster whose services the node serves; absent clears it
 * @param description free text for operators; absent clears it
 */
public record NodeUpdateRequest(String role, List<String> tags, String cluster, String description) {

    NodeChange change() {
        return new NodeChange(role, tags, cluster, description);
    }
}
