package io.weft.node.edge.internal.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:operations}: the app operations that this node's Edge API serves. */
@Service
@Command(scope = "weft", name = "operations",
        description = "Lists the app operations that this node's Edge API serves, with the callers that each app allows.")
public class OperationsCommand implements Action {

    @Reference
    EdgeStatus status;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() {
        print(status.operations(), !noFormat, System.out);
        return null;
    }

    static void print(List<EdgeStatus.OperationStatus> operations, boolean format, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No operations: no installed app publishes one");
        table.column("Operation");
        table.column("Methods");
        table.column("Kind");
        table.column("Deadline (ms)").alignRight();
        table.column("Allowed callers");
        for (EdgeStatus.OperationStatus operation : operations) {
            table.addRow().addContent(operation.operation(), operation.safe() ? "GET,POST" : "POST",
                    operation.streaming() ? "stream" : "call",
                    operation.timeoutMillis() == 0 ? "default" : Long.toString(operation.timeoutMillis()),
                    operation.allow().isEmpty() ? "none" : String.join(",", operation.allow()));
        }
        table.print(out, format);
    }
}
