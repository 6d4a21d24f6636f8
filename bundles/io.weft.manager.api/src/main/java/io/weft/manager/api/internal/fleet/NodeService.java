package io.weft.manager.api.internal.fleet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.ws.rs.NotFoundException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.Node;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.NodeState;
import io.weft.fleet.Tag;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Permissions;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.Page;

/**
 * Nodes of the fleet, addressed by full name ({@code <node>.<domain>}). Validates names, tags,
 * roles, clusters and state transitions through the fleet model before they reach the store.
 * Every method checks the caller's grants on the node's domain first: reads need READ and
 * changes WRITE.
 */
@Component(service = NodeService.class, immediate = true)
public class NodeService {

    private final FleetStore store;

    @Activate
    public NodeService(@Reference FleetStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Creates a node in state {@code created} in an existing domain. */
    public io.weft.manager.store.Node create(Caller caller, String name, String domain, NodeChange change) {
        NodeName nodeName = FleetInputs.parse("name", name, NodeName::of);
        DomainName domainName = DomainService.domainName("domain", domain);
        NodeFullName fullName = FleetInputs.parse("name", nodeName.toString(), n -> NodeFullName.of(nodeName, domainName));
        Permissions.check(caller, Action.WRITE, AccessTarget.node(fullName));
        NodeSpec spec = spec(nodeName.toString(), domainName.toString(), change);

        return StoreErrors.call(() -> store.createNode(spec));
    }

    public io.weft.manager.store.Node get(Caller caller, String fullName) {
        return find(checked(caller, Action.READ, fullName));
    }

    /** Replaces the operator-set fields. A node's name and domain never change. */
    public io.weft.manager.store.Node update(Caller caller, String fullName, long expectedVersion, NodeChange change) {
        io.weft.manager.store.Node node = find(checked(caller, Action.WRITE, fullName));
        NodeSpec spec = spec(node.name(), node.domain(), change);

        return StoreErrors.call(() -> store.updateNode(node.id(), expectedVersion, spec));
    }

    /**
     * Moves a node to another lifecycle state: created to enrolled or revoked, enrolled to
     * revoked. Naming the current state changes nothing. Another move is a conflict.
     */
    public io.weft.manager.store.Node moveTo(Caller caller, String fullName, long expectedVersion, String state) {
        NodeState next = FleetInputs.parse("state", state, NodeState::parse);
        io.weft.manager.store.Node node = find(checked(caller, Action.WRITE, fullName));
        NodeState current = fleetState(node.state());
        if (current == next && node.version() == expectedVersion) {
            return node;
        }
        if (current != next && !current.canMoveTo(next)) {
            throw StoreErrors.conflict("node '" + node.fullName() + "' cannot move from " + current.id() + " to "
                    + next.id() + "; " + allowedMoves(current), null);
        }

        return StoreErrors.call(() -> store.updateNodeState(node.id(), expectedVersion, storeState(next)));
    }

    public void delete(Caller caller, String fullName, long expectedVersion) {
        io.weft.manager.store.Node node = find(checked(caller, Action.WRITE, fullName));
        StoreErrors.run(() -> store.deleteNode(node.id(), expectedVersion));
    }

    /**
     * Lists nodes by full name, only those that the caller may read; every filter that is set
     * must match. A domain filter selects the domain's subtree.
     */
    public Page<io.weft.manager.store.Node> list(Caller caller, NodeFilter filter) {
        Optional<DomainName> domain = FleetInputs.parseOptional("domain", filter.domain(), DomainName::of);
        NodeQuery query = new NodeQuery(
                Optional.empty(),
                tags("tag", filter.tags()),
                FleetInputs.parseOptional("role", filter.role(), NodeRole::parse).map(NodeService::storeRole),
                FleetInputs.parseOptional("state", filter.state(), NodeState::parse).map(NodeService::storeState),
                Cursors.decode(filter.cursor()),
                FleetInputs.limit(filter.limit(), NodeQuery.DEFAULT_LIMIT));
        ReadScopes scopes = ReadScopes.of(caller, domain);

        return Cursors.encode(scopes.merge(scope -> StoreErrors.call(() -> store.listNodes(inSubtree(query, scope))),
                io.weft.manager.store.Node::fullName, query.limit()));
    }

    private static NodeQuery inSubtree(NodeQuery query, Optional<DomainName> subtree) {
        return subtree.map(domain -> query.inSubtree(domain.toString())).orElse(query);
    }

    /** Parses a full name and checks that the caller may perform the action on the node. */
    static NodeFullName checked(Caller caller, Action action, String fullName) {
        NodeFullName name = fullName(fullName);
        Permissions.check(caller, action, AccessTarget.node(name));
        return name;
    }

    /** Returns the stored node or raises 404. */
    io.weft.manager.store.Node find(NodeFullName name) {
        return StoreErrors.call(() -> store.findNodeByName(name.domain().toString(), name.node().toString()))
                .orElseThrow(() -> new NotFoundException("node '" + name + "' not found"));
    }

    static NodeFullName fullName(String text) {
        return FleetInputs.parse("node", text, NodeFullName::parse);
    }

    private static NodeSpec spec(String name, String domain, NodeChange change) {
        if (change == null) {
            throw new InvalidFieldException("role", "The node role is missing. Send 'edge' or 'gateway'.");
        }
        NodeRole role = FleetInputs.parse("role", change.role(), NodeRole::parse);
        Set<String> tags = tags("tags", change.tags());
        Optional<String> cluster = FleetInputs.parseOptional("cluster", change.cluster(), ClusterName::of)
                .map(ClusterName::toString);
        String description = FleetInputs.description(change.description());

        return new NodeSpec(name, domain, storeRole(role), tags, cluster, description);
    }

    /** Validates tags in lower case, rejecting the same tag twice and more than the fleet model allows. */
    private static Set<String> tags(String field, List<String> texts) {
        if (texts == null) {
            return Set.of();
        }
        Set<Tag> tags = new TreeSet<>();
        for (String text : texts) {
            Tag tag = FleetInputs.parse(field, text, Tag::of);
            if (!tags.add(tag)) {
                throw new InvalidFieldException(field, "Duplicate tag '" + tag + "': send each tag once.");
            }
        }
        FleetInputs.parse(field, null, any -> Node.requireValidTags(tags));

        Set<String> names = new TreeSet<>();
        tags.forEach(tag -> names.add(tag.toString()));
        return names;
    }

    private static String allowedMoves(NodeState state) {
        if (state.nextStates().isEmpty()) {
            return "a " + state.id() + " node never changes state; create a new node record instead";
        }
        List<String> ids = state.nextStates().stream().map(NodeState::id).toList();
        return "from " + state.id() + " a node can move only to " + String.join(" or ", ids);
    }

    static io.weft.manager.store.NodeRole storeRole(NodeRole role) {
        return io.weft.manager.store.NodeRole.valueOf(role.name());
    }

    static io.weft.manager.store.NodeState storeState(NodeState state) {
        return io.weft.manager.store.NodeState.valueOf(state.name());
    }

    static NodeState fleetState(io.weft.manager.store.NodeState state) {
        return NodeState.valueOf(state.name());
    }

    /** Returns the API's id of a stored role, such as {@code gateway}. */
    public static String roleId(io.weft.manager.store.NodeRole role) {
        return NodeRole.valueOf(role.name()).id();
    }

    /** Returns the API's id of a stored state, such as {@code enrolled}. */
    public static String stateId(io.weft.manager.store.NodeState state) {
        return fleetState(state).id();
    }

}
