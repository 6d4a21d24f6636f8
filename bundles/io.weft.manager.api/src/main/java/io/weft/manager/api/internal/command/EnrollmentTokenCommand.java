package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.api.internal.fleet.EnrollmentService.IssuedToken;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code weft:enrollment-token <node>}: issues a single-use enrollment token, like
 * {@code POST /api/v1/nodes/{node}/enrollment-tokens}.
 */
@Service
@Command(scope = "weft", name = "enrollment-token",
        description = "Issues a single-use enrollment token for a node record. The token carries the manager's address"
                + " and the fingerprint of its root CA; the manager keeps only its hash, so this is the only copy. The"
                + " change is recorded in the audit log with the shell user as actor.")
public class EnrollmentTokenCommand implements Action {

    @Reference
    EnrollmentService enrollment;

    @Argument(index = 0, name = "node", required = true, description = "The node's full name, such as gw1.east.acme.example.")
    String fullName;

    @Option(name = "--expires-in", description = "The token's lifetime in seconds, from 300 to 2592000; 86400 (24 hours)"
            + " when left out.")
    Long lifetimeSeconds;

    @Option(name = "--quiet", description = "Prints only the token, for scripts.")
    boolean quiet;

    @Override
    public Object execute() throws CommandFailedException {
        Caller caller = ShellCallers.current();
        IssuedToken issued = ShellErrors.call(() -> enrollment.createToken(caller, fullName, lifetimeSeconds),
                "List the nodes with weft:nodes, or create the record with weft:node-create " + fullName + ".");
        print(issued, quiet, System.out);
        return null;
    }

    static void print(IssuedToken issued, boolean quiet, PrintStream out) {
        if (quiet) {
            out.println(issued.token());
            return;
        }
        out.println("Enrollment token for " + issued.node().fullName() + ", single use, valid until "
                + issued.stored().expiresAt() + ":");
        out.println(issued.token());
        out.println("On the node, run: weft:enroll <token>, or place the token in etc/weft-enroll.token before its first start.");
    }
}
