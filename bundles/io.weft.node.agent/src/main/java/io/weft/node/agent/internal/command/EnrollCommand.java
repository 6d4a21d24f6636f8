package io.weft.node.agent.internal.command;

import io.weft.node.agent.internal.Enrollment;
import io.weft.node.agent.internal.EnrollmentException;
import io.weft.node.agent.internal.EnrollmentResult;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:enroll <token>}: enrolls this node with the manager that the token names. */
@Service
@Command(scope = "weft", name = "enroll",
        description = "Enrolls this node with an enrollment token from the manager: generates a new key, obtains a"
                + " certificate and connects. On an enrolled node it replaces key and certificate and keeps the"
                + " desired state, which is the way back after an expired certificate.")
public class EnrollCommand implements Action {

    @Reference
    Enrollment enrollment;

    @Argument(index = 0, name = "token", required = true,
            description = "The enrollment token, starting with weft-enroll-v1.")
    String token;

    @Override
    public Object execute() throws EnrollmentException {
        EnrollmentResult result = enrollment.enroll(token);
        print(result, System.out);
        return null;
    }

    static void print(EnrollmentResult result, PrintStream out) {
        out.println("Enrolled node " + result.nodeName() + " (id " + result.nodeId() + ")");
        out.println("Certificate serial " + result.certificateSerial() + ", valid until " + result.notAfter());
        out.println("Connecting to the manager at " + result.controlAddress());
    }
}
