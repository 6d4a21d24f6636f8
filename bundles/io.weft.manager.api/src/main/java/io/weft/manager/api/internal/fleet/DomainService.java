package io.weft.manager.api.internal.fleet;

import java.util.Objects;

import javax.ws.rs.NotFoundException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.fleet.DomainName;
import io.weft.manager.store.Domain;
import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Page;

/**
 * Domains of the fleet: validates names and descriptions through the fleet model, so the
 * store receives only canonical lower-case names, and translates the store's rejections.
 */
@Component(service = DomainService.class, immediate = true)
public class DomainService {

    private final FleetStore store;

    @Activate
    public DomainService(@Reference FleetStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Creates a domain. Its parent domains need not exist. */
    public Domain create(String name, String description) {
        DomainName domain = domainName("name", name);
        String validDescription = FleetInputs.description(description);

        return StoreErrors.call(() -> store.createDomain(domain.toString(), validDescription));
    }

    public Domain get(String name) {
        DomainName domain = domainName("domain", name);
        return find(domain);
    }

    public Domain update(String name, long expectedVersion, String description) {
        DomainName domain = domainName("domain", name);
        String validDescription = FleetInputs.description(description);

        return StoreErrors.call(() -> store.updateDomain(domain.toString(), expectedVersion, validDescription));
    }

    /** Deletes an empty domain with its profile; one with subdomains or nodes is a conflict. */
    public void delete(String name, long expectedVersion) {
        DomainName domain = domainName("domain", name);
        StoreErrors.run(() -> store.deleteDomain(domain.toString(), expectedVersion));
    }

    /** Lists domains by name, optionally only {@code subtree} and its subdomains. */
    public Page<Domain> list(String subtree, String cursor, String limit) {
        DomainQuery query = new DomainQuery(
                FleetInputs.parseOptional("subtree", subtree, DomainName::of).map(DomainName::toString),
                FleetInputs.cursor(cursor),
                FleetInputs.limit(limit, DomainQuery.DEFAULT_LIMIT));

        return StoreErrors.call(() -> store.listDomains(query));
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
