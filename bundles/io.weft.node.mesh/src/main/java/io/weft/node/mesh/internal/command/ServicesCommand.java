package io.weft.node.mesh.internal.command;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:services}: the TCP services that this node exposes to the mesh. */
@Service
@Command(scope = "weft", name = "services",
        description = "Lists the TCP services that this node exposes to the mesh, from the PIDs io.weft.mesh.service~<name>.")
public class ServicesCommand implements Action {

    @Reference
    MeshStatus status;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() {
        print(status.services(), !noFormat, System.out);
        return null;
    }

    static void print(List<MeshStatus.ServiceStatus> services, boolean format, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No services");
        table.column("Name");
        table.column("Host");
        table.column("Port").alignRight();
        for (MeshStatus.ServiceStatus service : services) {
            table.addRow().addContent(service.name(), service.host(), service.port());
        }
        table.print(out, format);
    }
}
