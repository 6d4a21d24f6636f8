package io.weft.manager.api.internal.resources;

import java.time.Instant;
import java.util.List;

import io.weft.manager.api.internal.fleet.NodeControlReader.ControlView;
import io.weft.manager.api.internal.fleet.NodeService;
import io.weft.manager.store.Node;

/**
 * A node as the API returns it. Times are ISO-8601 instants in UTC.
 *
 * @param fullName        {@code <name>.<domain>}, the node's identity in the API and its certificate
 * @param name            the node's name within its domain
 * @param domain          the node's domain
 * @param role            {@code edge} or {@code gateway}
 * @param tags            tags in sorted order
 * @param cluster         the cluster whose services the node serves, or null
 * @param description     free text for operators, empty when not set
 * @param state           {@code created}, {@code enrolled} or {@code revoked}
 * @param lastSeen        when the manager last heard from the node, or null
 * @param desiredRevision revision of the desired state compiled for the node, 0 before the first one
 * @param appliedRevision revision that the node last acknowledged as applied, 0 for none
 * @param online          whether the node has a control session with the manager
 * @param lastRejection   why the node rejected its last desired state, or null when it applied it
 * @param version         incremented by every change; the ETag carries it
 * @param createdAt       time of creation
 * @param updatedAt       time of the last change
 */
public record NodeDto(String fullName, String name, String domain, String role, List<String> tags, String cluster,
        String description, String state, String lastSeen, long desiredRevision, long appliedRevision,
        boolean online, String lastRejection, long version, String createdAt, String updatedAt) {

    public static NodeDto of(Node node, ControlView control) {
        return new NodeDto(node.fullName(), node.name(), node.domain(), NodeService.roleId(node.role()),
                List.copyOf(node.tags()), node.cluster().orElse(null), node.description(),
                NodeService.stateId(node.state()), control.lastSeen().map(Instant::toString).orElse(null),
                control.desiredRevision(), control.appliedRevision(), control.online(),
                control.lastRejection().orElse(null), node.version(), node.createdAt().toString(),
                node.updatedAt().toString());
    }
}
