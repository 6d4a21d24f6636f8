package io.weft.node.mesh.internal.command;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:connectors}: this node's connectors to services on other nodes. */
@Service
@Command(scope = "weft", name = "connectors",
        description = "Lists this node's connectors: the local listener, and the service and node that each forwards"
                + " to, from the PIDs io.weft.mesh.connector~<name>.")
public class ConnectorsCommand implements Action {

    @Reference
    MeshStatus status;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() {
        print(status.connectors(), !noFormat, System.out);
        return null;
    }

    static void print(List<MeshStatus.ConnectorStatus> connectors, boolean format, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No connectors");
        table.column("Name");
        table.column("Listen");
        table.column("Service");
        table.column("Node");
        table.column("Service port").alignRight();
        for (MeshStatus.ConnectorStatus connector : connectors) {
            table.addRow().addContent(connector.name(), connector.listen(), connector.service(), connector.node(),
                    connector.servicePort());
        }
        table.print(out, format);
    }
}
