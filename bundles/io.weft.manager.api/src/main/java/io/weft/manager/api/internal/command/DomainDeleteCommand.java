package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.api.internal.resources.DomainDto;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:domain-delete <name>}: deletes an empty domain, like {@code DELETE /api/v1/domains/{domain}}. */
@Service
@Command(scope = "weft", name = "domain-delete",
        description = "Deletes a domain and its profile. A domain with subdomains or nodes is kept: delete those"
                + " first. The change is recorded in the audit log with the shell user as actor.")
public class DomainDeleteCommand implements Action {

    @Reference
    DomainService domains;

    @Reference
    AuditTrail audit;

    @Argument(index = 0, name = "name", required = true, description = "The domain's DNS name, such as east.acme.example.")
    String name;

    @Override
    public Object execute() throws CommandFailedException {
        Caller caller = ShellCallers.current();
        ShellErrors.run(() -> audit.atomically(() -> {
            DomainDto before = DomainDto.of(domains.get(caller, name));
            domains.delete(caller, name, before.version());
            audit.record(caller, "domain.delete", before.name(), before, null);
        }), "List the domains with weft:domains and their nodes with weft:nodes --domain " + name + ".");
        System.out.println("Deleted domain " + name);
        return null;
    }
}
