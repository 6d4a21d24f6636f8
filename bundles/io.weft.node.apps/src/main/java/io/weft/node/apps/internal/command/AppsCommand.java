package io.weft.node.apps.internal.command;

import io.weft.node.apps.internal.AppStatus;
import io.weft.node.apps.internal.InstalledApps;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:apps}: the apps that the desired state deploys to this node and their state. */
@Service
@Command(scope = "weft", name = "apps",
        description = "Lists the edge apps of this node: the deployed version, the version that runs, the state"
                + " (pending, downloading, installed, failed, rolled-back) and the last error.")
public class AppsCommand implements Action {

    @Reference
    InstalledApps apps;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() {
        print(apps.apps(), noFormat, System.out);
        return null;
    }

    static void print(List<AppStatus> statuses, boolean noFormat, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No apps deployed to this node");
        table.column("App");
        table.column("Version");
        table.column("Running");
        table.column("State");
        table.column("Deployment");
        table.column("Error");
        for (AppStatus status : statuses) {
            table.addRow().addContent(status.app(), status.version(), orDash(status.runningVersion()), status.state(),
                    status.deploymentId(), orDash(status.error()));
        }
        table.print(out, !noFormat);
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
