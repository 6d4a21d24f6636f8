package io.weft.node.mesh.internal.command;

import io.weft.node.agent.api.FlowEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:flows}: this node's latest flow events, of mesh streams and Edge API calls, and the counters of the buffer that sends them to the manager. */
@Service
@Command(scope = "weft", name = "flows",
        description = "Lists this node's latest flow events of mesh streams and Edge API calls, newest first, and"
                + " the flow records that wait for the manager.")
public class FlowsCommand implements Action {

    static final String NO_BUFFER = "Flow records: the node agent keeps none, so they do not reach the manager";

    @Reference
    MeshStatus status;

    @Option(name = "--no-format", description = "Prints the table without borders and padding and without the"
            + " buffer line, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() {
        print(status.flowBuffer(), status.recentFlows(), !noFormat, System.out);
        return null;
    }

    static void print(Optional<MeshStatus.FlowBufferStatus> buffer, List<FlowEvent> flows, boolean format,
            PrintStream out) {
        if (format) {
            out.println(buffer.map(FlowsCommand::describe).orElse(NO_BUFFER));
        }
        ShellTable table = new ShellTable().emptyTableText("No flows");
        table.column("Started");
        table.column("Event");
        table.column("End");
        table.column("Source");
        table.column("Destination");
        table.column("Target");
        table.column("Caller");
        table.column("Status");
        table.column("Rule");
        table.column("To destination (bytes)").alignRight();
        table.column("To source (bytes)").alignRight();
        table.column("Duration (ms)").alignRight();
        for (FlowEvent flow : flows) {
            table.addRow().addContent(flow.startedAt().toString(), code(flow.event()), code(flow.end()), flow.source(),
                    flow.destination(), target(flow), caller(flow), flow.isCall() ? flow.call().status() : "-",
                    flow.rule() == null ? "-" : flow.rule(), flow.bytesToDestination(), flow.bytesToSource(),
                    flow.duration().toMillis());
        }
        table.print(out, format);
    }

    /** Returns {@code service:port} for a stream and {@code app/operation} for an Edge API call. */
    private static String target(FlowEvent flow) {
        if (flow.isCall()) {
            return flow.call().app() + "/" + flow.call().operation();
        }
        return flow.service() + ":" + flow.port();
    }

    /** Returns the caller of a call, with the node that forwarded it, or {@code -} for a stream or an unknown caller. */
    private static String caller(FlowEvent flow) {
        if (!flow.isCall()) {
            return "-";
        }
        String caller = flow.call().caller() == null ? "unauthenticated" : flow.call().caller();
        return flow.call().via() == null ? caller : caller + " via node:" + flow.call().via();
    }

    private static String describe(MeshStatus.FlowBufferStatus buffer) {
        return "Flow records: " + buffer.buffered() + " of at most " + buffer.capacity() + " wait for the manager, "
                + buffer.acknowledged() + " acknowledged, " + buffer.dropped() + " dropped because the buffer was full";
    }

    private static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
