package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.store.Domain;
import io.weft.manager.store.Page;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:domains}: the domain tree, like {@code GET /api/v1/domains}. */
@Service
@Command(scope = "weft", name = "domains",
        description = "Lists the domains of the fleet by name, optionally only one domain and its subdomains.")
public class DomainsCommand implements Action {

    @Reference
    DomainService domains;

    @Option(name = "--subtree", description = "Lists only this domain and its subdomains, such as east.acme.example.")
    String subtree;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() throws CommandFailedException {
        Caller caller = ShellCallers.current();
        List<Domain> all = ShellErrors.call(() -> listAll(caller),
                "Pass a domain name such as acme.example to --subtree, or leave it out.");
        print(all, !noFormat, System.out);
        return null;
    }

    private List<Domain> listAll(Caller caller) {
        List<Domain> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<Domain> page = domains.list(caller, subtree, cursor.orElse(null), null);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return all;
    }

    static void print(List<Domain> domains, boolean format, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No domains; create one with weft:domain-create <name>");
        table.column("Name");
        table.column("Description");
        for (Domain domain : domains) {
            table.addRow().addContent(domain.name(), domain.description());
        }
        table.print(out, format);
    }
}
