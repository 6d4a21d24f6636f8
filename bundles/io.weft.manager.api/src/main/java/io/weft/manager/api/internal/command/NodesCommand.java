package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.fleet.NodeControlReader;
import io.weft.manager.api.internal.fleet.NodeControlReader.ControlView;
import io.weft.manager.api.internal.fleet.NodeFilter;
import io.weft.manager.api.internal.fleet.NodeService;
import io.weft.manager.store.Node;
import io.weft.manager.store.Page;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code weft:nodes}: the nodes with their control state, filtered like {@code GET /api/v1/nodes}
 * and, on top of that, by whether they are connected.
 */
@Service
@Command(scope = "weft", name = "nodes",
        description = "Lists the nodes by full name with role, enrollment state, whether each is connected to this"
                + " manager, and its desired and applied revision. Every filter that is set must match.")
public class NodesCommand implements Action {

    @Reference
    NodeService nodes;

    @Reference
    NodeControlReader controls;

    @Option(name = "--domain", description = "Lists only nodes of this domain and its subdomains.")
    String domain;

    @Option(name = "--tag", multiValued = true, description = "Lists only nodes with this tag; repeat for several tags.")
    List<String> tags;

    @Option(name = "--role", description = "Lists only nodes of this role: edge or gateway.")
    String role;

    @Option(name = "--state", description = "Lists only nodes in this state: created, enrolled or revoked.")
    String state;

    @Option(name = "--online", description = "Lists only nodes connected to this manager.")
    boolean online;

    @Option(name = "--offline", description = "Lists only nodes not connected to this manager.")
    boolean offline;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() throws CommandFailedException {
        if (online && offline) {
            throw new CommandFailedException("--online and --offline exclude each other; pass one of them, or neither"
                    + " to list every node.", null);
        }
        Caller caller = ShellCallers.current();
        List<Row> rows = ShellErrors.call(() -> listAll(caller), "Run weft:nodes --help for the filters.");
        print(rows.stream().filter(row -> !online || row.control().online())
                .filter(row -> !offline || !row.control().online()).toList(), !noFormat, filtered(), System.out);
        return null;
    }

    private boolean filtered() {
        return domain != null || (tags != null && !tags.isEmpty()) || role != null || state != null || online
                || offline;
    }

    private List<Row> listAll(Caller caller) {
        List<Row> rows = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            NodeFilter filter = new NodeFilter(domain, tags, role, state, cursor.orElse(null), null);
            Page<Node> page = nodes.list(caller, filter);
            Map<String, ControlView> views = controls.read(page.items());
            page.items().forEach(node -> rows.add(new Row(node, views.get(node.id()))));
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return rows;
    }

    /** A node with its control state. */
    record Row(Node node, ControlView control) {
    }

    /** Prints the nodes. When {@code filtered} is set, an empty table names the filters instead of an empty fleet. */
    static void print(List<Row> rows, boolean format, boolean filtered, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText(filtered
                ? "No node matches the filters; run weft:nodes without options to list every node"
                : "No nodes; create one with weft:node-create <node>.<domain>");
        table.column("Node");
        table.column("Role");
        table.column("State");
        table.column("Online");
        table.column("Desired").alignRight();
        table.column("Applied").alignRight();
        table.column("Last seen");
        for (Row row : rows) {
            ControlView control = row.control();
            table.addRow().addContent(row.node().fullName(), NodeService.roleId(row.node().role()),
                    NodeService.stateId(row.node().state()), control.online() ? "yes" : "no",
                    control.desiredRevision(), control.appliedRevision(),
                    control.lastSeen().map(Instant::toString).orElse("never"));
        }
        table.print(out, format);
    }
}
