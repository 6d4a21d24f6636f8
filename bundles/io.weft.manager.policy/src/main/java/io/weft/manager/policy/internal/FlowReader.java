package io.weft.manager.policy.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.weft.fleet.ClusterName;
import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.policy.AppOperation;
import io.weft.policy.ClientSubject;
import io.weft.policy.Flow;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.NodeSubject;
import io.weft.policy.Protocol;
import io.weft.policy.ServiceName;
import io.weft.policy.ServiceTarget;
import io.weft.policy.Subject;
import io.weft.policy.Target;

/**
 * Reads the flows of explain and dry-run requests. Nodes are named by full name and read from
 * the fleet, so a decision uses each node's stored role, tags and cluster. The caller must be
 * allowed to read every node it names. One reader serves one request and reads each node once.
 */
final class FlowReader {

    private final FleetStore fleet;
    private final ApiCaller caller;
    private final Map<NodeFullName, NodeSubject> nodes = new HashMap<>();

    FlowReader(FleetStore fleet, ApiCaller caller) {
        this.fleet = fleet;
        this.caller = caller;
    }

    /**
     * Reads one flow.
     *
     * @param path the flow's path in the request body with a trailing '.', such as {@code flows[2].}, or empty
     * @throws InvalidFieldException naming the first invalid field
     * @throws javax.ws.rs.ForbiddenException when the caller may not read a named node
     */
    Flow read(FlowRequest request, String path) {
        if (request == null) {
            throw new InvalidFieldException(path.isEmpty() ? "flow" : path.substring(0, path.length() - 1),
                    "The flow is missing. Send an object with 'source' and 'destination'.");
        }
        Subject source = source(request.source(), path + "source");
        FlowRequest.Destination destination = request.destination();
        if (destination == null) {
            throw new InvalidFieldException(path + "destination", "The destination is missing. Send {\"node\": ...,"
                    + " \"service\": ..., \"port\": ...} or {\"node\": ..., \"operation\": ...}.");
        }
        NodeSubject node = node(destination.node(), path + "destination.node");
        return new Flow(source, node, target(destination, path + "destination."));
    }

    private Subject source(FlowRequest.Source source, String path) {
        if (source == null || (source.node() == null) == (source.client() == null)) {
            throw new InvalidFieldException(path, "A source needs exactly one of 'node' and 'client', such as"
                    + " {\"node\": \"cam1.plant1.east.acme.example\"} or {\"client\": \"ci-deployer\"}.");
        }
        if (source.client() != null) {
            return convert(path + ".client", () -> ClientSubject.of(source.client()));
        }
        return node(source.node(), path + ".node");
    }

    private NodeSubject node(String text, String field) {
        if (text == null) {
            throw new InvalidFieldException(field, "The node is missing. Send its full name, such as"
                    + " gw1.plant1.east.acme.example.");
        }
        NodeFullName name = convert(field, () -> NodeFullName.parse(text));
        ApiCallers.check(caller, Action.READ, AccessTarget.node(name));

        NodeSubject known = nodes.get(name);
        if (known == null) {
            known = fleet.findNodeByName(name.domain().toString(), name.node().toString())
                    .map(FlowReader::subjectOf)
                    .orElseThrow(() -> new InvalidFieldException(field, "The node " + name + " is not in the fleet."
                            + " Name a node that exists, or create it first."));
            nodes.put(name, known);
        }
        return known;
    }

    private static Target target(FlowRequest.Destination destination, String path) {
        boolean hasService = destination.service() != null;
        if (hasService == (destination.operation() != null)) {
            throw new InvalidFieldException(path + "service", "A destination needs exactly one of 'service' and"
                    + " 'operation'. Name a service such as \"ssh\" with a port, or an app operation such as"
                    + " \"io.acme.camera/snapshot\".");
        }
        if (!hasService) {
            if (destination.protocol() != null || destination.port() != null) {
                throw new InvalidFieldException(path + "operation", "An app operation has no protocol or port."
                        + " Remove 'protocol' and 'port', or name a service.");
            }
            return convert(path + "operation", () -> AppOperation.parse(destination.operation()));
        }
        ServiceName service = convert(path + "service", () -> ServiceName.of(destination.service()));
        Protocol protocol = destination.protocol() == null ? Protocol.TCP
                : convert(path + "protocol", () -> Protocol.parse(destination.protocol()));
        if (destination.port() == null) {
            throw new InvalidFieldException(path + "port", "The port is missing. Send the port of the service,"
                    + " from 1 to 65535.");
        }
        return convert(path + "port", () -> new ServiceTarget(service, protocol, destination.port()));
    }

    private static NodeSubject subjectOf(Node node) {
        Set<Tag> tags = node.tags().stream().map(Tag::of).collect(Collectors.toSet());
        Optional<ClusterName> cluster = node.cluster().map(ClusterName::of);
        return new NodeSubject(NodeFullName.parse(node.fullName()), NodeRole.parse(node.role().name()), tags, cluster);
    }

    /** Runs a conversion and reports its rejection under {@code field}. */
    private static <T> T convert(String field, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (InvalidPolicyException e) {
            throw new InvalidFieldException(field, e.reason());
        } catch (InvalidFleetInputException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }
}
