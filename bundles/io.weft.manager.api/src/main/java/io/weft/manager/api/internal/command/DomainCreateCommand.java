package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.api.internal.resources.DomainDto;
import io.weft.manager.store.Domain;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:domain-create <name>}: creates a domain, like {@code POST /api/v1/domains}. */
@Service
@Command(scope = "weft", name = "domain-create",
        description = "Creates a domain. Its parent domains need not exist. The change is recorded in the audit log"
                + " with the shell user as actor.")
public class DomainCreateCommand implements Action {

    @Reference
    DomainService domains;

    @Reference
    AuditTrail audit;

    @Argument(index = 0, name = "name", required = true, description = "The domain's DNS name, such as east.acme.example.")
    String name;

    @Option(name = "--description", description = "Free text for operators.")
    String description;

    @Override
    public Object execute() throws CommandFailedException {
        Caller caller = ShellCallers.current();
        Domain domain = ShellErrors.call(() -> audit.atomically(() -> {
            Domain stored = domains.create(caller, name, description);
            audit.record(caller, "domain.create", stored.name(), null, DomainDto.of(stored));
            return stored;
        }), "List the existing domains with weft:domains.");
        System.out.println("Created domain " + domain.name());
        return null;
    }
}
