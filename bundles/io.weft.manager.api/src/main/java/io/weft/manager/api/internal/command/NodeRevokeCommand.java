package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.store.Node;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:node-revoke <node>}: revokes a node, like {@code POST /api/v1/nodes/{node}/revoke}. */
@Service
@Command(scope = "weft", name = "node-revoke",
        description = "Revokes every certificate of a node and cancels its unused enrollment tokens. Its tunnels and"
                + " its control connection are closed. Revocation is final: the machine comes back only under a new"
                + " node record. The change is recorded in the audit log with the shell user as actor.")
public class NodeRevokeCommand implements Action {

    @Reference
    EnrollmentService enrollment;

    @Argument(index = 0, name = "node", required = true, description = "The node's full name, such as gw1.east.acme.example.")
    String fullName;

    @Option(name = "--reason", description = "The CRL reason, such as key_compromise or superseded; unspecified when left out.")
    String reason;

    @Override
    public Object execute() throws CommandFailedException {
        Caller caller = ShellCallers.current();
        Node revoked = ShellErrors.call(() -> enrollment.revoke(caller, fullName, reason),
                "List the nodes with weft:nodes.");
        System.out.println("Revoked node " + revoked.fullName() + " (id " + revoked.id() + ")");
        return null;
    }
}
