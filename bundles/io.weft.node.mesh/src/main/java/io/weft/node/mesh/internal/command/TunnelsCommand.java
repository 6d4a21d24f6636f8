package io.weft.node.mesh.internal.command;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:tunnels}: the node's mesh tunnels. */
@Service
@Command(scope = "weft", name = "tunnels",
        description = "Lists this node's mesh tunnels: the peer, who dialled, the open streams, the last keepalive"
                + " round trip, and the gateway that relays a relayed tunnel or an end-to-end session. A relayed tunnel"
                + " is a TLS connection between the two nodes that the gateway splices; an end-to-end session is"
                + " one stream of the tunnel to that gateway. A gateway also lists the relayed tunnels it splices.")
public class TunnelsCommand implements Action {

    static final String NOT_RUNNING = "Mesh: not running, because this node has no identity yet or its mesh failed"
            + " to start; see weft:status and data/log/karaf.log";

    @Reference
    MeshStatus status;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() {
        print(status.nodeName(), status.tunnels(), status.splices(), !noFormat, System.out);
        return null;
    }

    static void print(Optional<String> nodeName, List<MeshStatus.TunnelStatus> tunnels,
            List<MeshStatus.SpliceStatus> splices, boolean format, PrintStream out) {
        if (nodeName.isEmpty()) {
            out.println(NOT_RUNNING);
            return;
        }
        ShellTable table = new ShellTable().emptyTableText("No tunnels");
        table.column("Peer");
        table.column("Node ID");
        table.column("Direction");
        table.column("State");
        table.column("Streams").alignRight();
        table.column("RTT (ms)").alignRight();
        table.column("Via");
        for (MeshStatus.TunnelStatus tunnel : tunnels) {
            table.addRow().addContent(tunnel.peer(), tunnel.nodeId(), tunnel.dialled() ? "dialled" : "accepted",
                    tunnel.open() ? "open" : "closing", tunnel.streams(),
                    tunnel.roundTripTime().map(rtt -> String.valueOf(rtt.toMillis())).orElse("-"),
                    tunnel.via().orElse("-"));
        }
        table.print(out, format);
        if (!splices.isEmpty()) {
            printSplices(splices, format, out);
        }
    }

    private static void printSplices(List<MeshStatus.SpliceStatus> splices, boolean format, PrintStream out) {
        out.println();
        out.println("Relayed tunnels that this gateway splices:");
        ShellTable table = new ShellTable();
        table.column("Source");
        table.column("Destination");
        table.column("Open (s)").alignRight();
        table.column("Bytes").alignRight();
        for (MeshStatus.SpliceStatus splice : splices) {
            table.addRow().addContent(splice.source(), splice.destination(), splice.open().toSeconds(),
                    splice.bytes());
        }
        table.print(out, format);
    }
}
