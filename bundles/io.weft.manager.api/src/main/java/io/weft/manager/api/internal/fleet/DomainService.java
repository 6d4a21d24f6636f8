package io.weft.manager.api.internal.fleet;

import java.util.Objects;
import java.util.Optional;

import javax.ws.rs.NotFoundException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.fleet.DomainName;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Permissions;
import io.weft.manager.store.Domain;
import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Page;

/**
 * Domains of the fleet: validates names and descriptions through the fleet model, so the
 * store receives only canonical lower-case names, and translates the store's rejections.
 * Every method checks the caller's grants first: reads need READ and changes WRITE on the
 * domain, so a caller learns nothing about a domain outside its scopes, not even whether it
 * exists.
 */
@Component(service = DomainService.class, immediate = true)
public class DomainService {

    private final FleetStore store;

    @Activate
    public DomainService(@Reference FleetStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Creates a domain. Its parent domains need not exist. */
    public Domain create(Caller caller, String name, String description) {
        DomainName domain = domainName("name", name);
        String validDescription = FleetInputs.description(description);
        Permissions.check(caller, Action.WRITE, AccessTarget.domain(domain));

        return StoreErrors.call(() -> store.createDomain(domain.toString(), validDescription));
    }

    public Domain get(Caller caller, String name) {
        DomainName domain = domainName("domain", name);
        Permissions.check(caller, Action.READ, AccessTarget.domain(domain));
        return find(domain);
    }

    public Domain update(Caller caller, String name, long expectedVersion, String description) {
        DomainName domain = domainName("domain", name);
        String validDescription = FleetInputs.description(description);
        Permissions.check(caller, Action.WRITE, AccessTarget.domain(domain));

        return StoreErrors.call(() -> store.updateDomain(domain.toString(), expectedVersion, validDescription));
    }

    /** Deletes an empty domain with its profile; one with subdomains or nodes is a conflict. */
    public void delete(Caller caller, String name, long expectedVersion) {
        DomainName domain = domainName("domain", name);
        Permissions.check(caller, Action.WRITE, AccessTarget.domain(domain));
        StoreErrors.run(() -> store.deleteDomain(domain.toString(), expectedVersion));
    }

    /**
     * Lists domains by name, optionally only {@code subtree} and its subdomains, and only those
     * that the caller may read.
     */
    public Page<Domain> list(Caller caller, String subtree, String cursor, String limit) {
        Optional<DomainName> requested = FleetInputs.parseOptional("subtree", subtree, DomainName::of);
        Optional<String> after = Cursors.decode(cursor);
        int pageSize = FleetInputs.limit(limit, DomainQuery.DEFAULT_LIMIT);
        ReadScopes scopes = ReadScopes.of(caller, requested);

        return Cursors.encode(scopes.merge(scope -> StoreErrors.call(() -> store.listDomains(
                new DomainQuery(scope.map(DomainName::toString), after, pageSize))), Domain::name, pageSize));
    }

    /** Returns the stored domain or raises 404. */
    Domain find(DomainName domain) {
        return StoreErrors.call(() -> store.findDomain(domain.toString()))
                .orElseThrow(() -> new NotFoundException("domain '" + domain + "' not found"));
    }

    static DomainName domainName(String field, String text) {
        return FleetInputs.parse(field, text, DomainName::of);
    }
}
