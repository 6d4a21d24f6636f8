package io.weft.node.agent.internal.command;

import io.weft.node.agent.internal.NodeStatus;
import io.weft.node.agent.internal.NodeStatusSource;
import java.io.PrintStream;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:status}: the node's identity, certificate, manager connection and desired state. */
@Service
@Command(scope = "weft", name = "status",
        description = "Shows this node's identity, certificate expiry, connection to the manager, desired and applied"
                + " revision, and configurations left untouched because Weft did not create them.")
public class StatusCommand implements Action {

    @Reference
    NodeStatusSource source;

    @Option(name = "--json", description = "Prints the status as one JSON object, for scripts.")
    boolean json;

    @Override
    public Object execute() {
        NodeStatus status = source.status();
        if (json) {
            System.out.println(StatusJson.write(status));
        } else {
            print(status, System.out);
        }
        return null;
    }

    static void print(NodeStatus status, PrintStream out) {
        if (!status.enrolled()) {
            out.println("Node:        not enrolled; run 'weft:enroll <token>' with a token from the manager");
            return;
        }
        if (status.identityProblem() != null) {
            out.println("Node:        identity unusable");
            out.println("Problem:     " + status.identityProblem());
            return;
        }
        out.println("Node:        " + status.nodeName() + " (id " + status.nodeId() + ")");
        out.println("Certificate: serial " + status.certificateSerial() + ", expires " + status.certificateNotAfter());
        out.println("Manager:     " + status.controlAddress() + ", " + connection(status));
        out.println("Revision:    desired " + status.desiredRevision() + ", applied " + status.appliedRevision());
        out.println("Skipped:     " + (status.skippedPids().isEmpty() ? "none"
                : String.join(", ", status.skippedPids()) + " (configurations that Weft did not create, left untouched)"));
    }

    private static String connection(NodeStatus status) {
        if (status.connectedSince() != null) {
            return "connected since " + status.connectedSince();
        }
        StringBuilder text = new StringBuilder("disconnected");
        if (status.lastError() != null) {
            text.append("; last error: ").append(status.lastError());
        }
        Instant retry = status.nextRetryAt();
        if (retry != null) {
            text.append("; next retry at ").append(retry);
        }
        return text.toString();
    }
}
