package io.weft.runtime.internal.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.weft.runtime.ComponentState;
import io.weft.runtime.Readiness;
import io.weft.runtime.ReadinessReport;
import io.weft.runtime.internal.ReportJson;

/** {@code weft:version}: the shell view of the readiness endpoint. */
@Service
@Command(scope = "weft", name = "version",
        description = "Shows the Weft release, the commit it was built from and whether every Weft component is active.")
public class VersionCommand implements Action {

    @Reference
    Readiness readiness;

    @Option(name = "--json",
            description = "Prints the readiness report as JSON, the same document as GET /health/ready.")
    boolean json;

    @Option(name = "-c", aliases = "--components",
            description = "Lists every Weft component with its state.")
    boolean components;

    @Option(name = "--no-format", description = "Prints the component list without table borders.")
    boolean noFormat;

    @Override
    public Object execute() {
        ReadinessReport report = readiness.evaluate();
        if (json) {
            System.out.println(ReportJson.write(report));
            return null;
        }

        printSummary(report, System.out);
        if (components) {
            componentTable(report).print(System.out, !noFormat);
        }
        return null;
    }

    static void printSummary(ReadinessReport report, PrintStream out) {
        out.println("Weft " + report.role() + " " + report.version());
        out.println("Commit: " + report.commit());
        out.println("Ready:  " + (report.ready() ? "yes" : "no"));
        for (String problem : report.problems()) {
            out.println("  - " + problem);
        }
    }

    static ShellTable componentTable(ReadinessReport report) {
        ShellTable table = new ShellTable();
        table.column("Bundle");
        table.column("Component");
        table.column("State");
        table.column("Detail");
        table.emptyTableText("No Weft component is installed");
        for (ComponentState state : report.components()) {
            table.addRow().addContent(state.bundle(), state.component(), state.state(), state.detail());
        }
        return table;
    }
}
