package io.weft.manager.api.internal.fleet;

import java.util.List;

/**
 * Operator-set fields of a node as a request carries them, before validation. Null stands for
 * an absent field: no tags, no cluster, an empty description.
 *
 * @param role        {@code edge} or {@code gateway}, required
 * @param tags        tags, each at most once ignoring case
 * @param cluster     the cluster whose services the node serves
 * @param description free text for operators
 */
public record NodeChange(String role, List<String> tags, String cluster, String description) {
}
