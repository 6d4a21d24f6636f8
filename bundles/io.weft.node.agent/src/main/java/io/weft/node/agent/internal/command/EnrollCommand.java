package io.weft.node.agent.internal.command;

import io.weft.node.agent.internal.Enrollment;
import io.weft.node.agent.internal.EnrollmentException;
import io.weft.node.agent.internal.EnrollmentResult;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/**
 * {@code weft:enroll [--force] <token>}: enrolls this node with the manager that the token names.
 * A rejected enrollment is thrown as Karaf's {@link CommandException}, which the shell prints as
 * one "Error executing command:" line and logs only at DEBUG. Any other exception would be
 * logged at ERROR with its stack trace, although the agent has logged the failure already.
 */
@Service
@Command(scope = "weft", name = "enroll",
        description = "Enrolls this node with an enrollment token from the manager: generates a new key, obtains a"
                + " certificate and connects. On a node enrolled as the token's node record it replaces key and"
                + " certificate and keeps the desired state, which is the way back after an expired certificate."
                + " A token of another node record is rejected unless --force is given.")
public class EnrollCommand implements Action {

    @Reference
    Enrollment enrollment;

    @Argument(index = 0, name = "token", required = true,
            description = "The enrollment token, starting with weft-enroll-v1.")
    String token;

    @Option(name = "--force",
            description = "Lets a node enrolled as another node record become the token's node: it replaces the"
                    + " node's identity and discards its stored desired state, with the connectors and apps that"
                    + " it configures. Revoke or delete the old record on the manager first.")
    boolean force;

    @Override
    public Object execute() throws CommandException {
        EnrollmentResult result;
        try {
            result = enrollment.enroll(token, force);
        } catch (EnrollmentException e) {
            throw new CommandException(e.getMessage(), e);
        }
        print(result, System.out);
        return null;
    }

    static void print(EnrollmentResult result, PrintStream out) {
        out.println("Enrolled node " + result.nodeName() + " (id " + result.nodeId() + ")");
        out.println("Certificate serial " + result.certificateSerial() + ", valid until " + result.notAfter());
        out.println("Connecting to the manager at " + result.controlAddress());
    }
}
