package io.weft.manager.api.internal.command;

import io.weft.manager.api.events.FleetChange;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.NodeChange;
import io.weft.manager.api.internal.fleet.NodeControlReader;
import io.weft.manager.api.internal.fleet.NodeService;
import io.weft.manager.api.internal.resources.NodeDto;
import io.weft.manager.store.Node;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:node-create <node>.<domain>}: creates a node record, like {@code POST /api/v1/nodes}. */
@Service
@Command(scope = "weft", name = "node-create",
        description = "Creates a node record in an existing domain, in state created. Enroll the machine with a token"
                + " from weft:enrollment-token. The change is recorded in the audit log with the shell user as actor.")
public class NodeCreateCommand implements Action {

    @Reference
    NodeService nodes;

    @Reference
    NodeControlReader controls;

    @Reference
    AuditTrail audit;

    @Argument(index = 0, name = "node", required = true,
            description = "The node's full name: its name, a dot and its domain, such as gw1.east.acme.example.")
    String fullName;

    @Option(name = "--role", description = "The node's part in the mesh: edge (the default) or gateway.")
    String role = "edge";

    @Option(name = "--tag", multiValued = true, description = "A tag that policies select the node by; repeat for several tags.")
    List<String> tags;

    @Option(name = "--cluster", description = "The cluster whose services the node serves.")
    String cluster;

    @Option(name = "--description", description = "Free text for operators.")
    String description;

    @Override
    public Object execute() throws CommandFailedException {
        int dot = fullName.indexOf('.');
        if (dot <= 0 || dot == fullName.length() - 1) {
            throw new CommandFailedException("Invalid node name '" + fullName + "': give the full name, such as"
                    + " gw1.east.acme.example, whose first label is the node and the rest its domain.", null);
        }
        Caller caller = ShellCallers.current();
        NodeChange change = new NodeChange(role, tags, cluster, description);
        Node node = ShellErrors.call(() -> audit.atomically(() -> {
            Node stored = nodes.create(caller, fullName.substring(0, dot), fullName.substring(dot + 1), change);
            audit.record(caller, "node.create", stored.fullName(), null, NodeDto.of(stored, controls.read(stored)));
            return stored;
        }, stored -> FleetChange.node(stored.id())), "Create the domain first with weft:domain-create, and list the"
                + " nodes with weft:nodes.");
        System.out.println("Created node " + node.fullName() + " (id " + node.id() + "); issue a token for it with"
                + " weft:enrollment-token " + node.fullName());
        return null;
    }
}
