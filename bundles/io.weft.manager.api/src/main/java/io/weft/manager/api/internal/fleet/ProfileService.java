package io.weft.manager.api.internal.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import javax.ws.rs.NotFoundException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.fleet.DomainName;
import io.weft.fleet.EffectiveProfile;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.Profile;
import io.weft.fleet.ProfileLevel;
import io.weft.fleet.ProfileOwner;
import io.weft.fleet.ProfileResolver;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Permissions;
import io.weft.manager.rest.api.PreconditionRequiredException;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.ProfileDocument;

/**
 * Profiles of domains and nodes, and the effective profiles that inheritance gives them.
 *
 * <p>Profiles are stored as the JSON documents of {@link ProfileJson}, written from a
 * validated {@link Profile}. An effective profile loads only the profiles of its own chain:
 * the domain, each DNS parent of it that the fleet has as a domain, and the node.
 *
 * <p>Reads need READ and changes WRITE on the profile's domain or node. An effective profile
 * shows the values that it inherits from parent domains, including those outside the
 * caller's scopes, because they configure a domain or node that the caller may read.
 */
@Component(service = ProfileService.class, immediate = true)
public class ProfileService {

    /** Result of a write: the stored profile, and whether the write created it. */
    public record Written(ProfileView profile, boolean created) {
    }

    /** An effective profile and the domain or node it applies to. */
    public record Effective(ProfileOwner owner, EffectiveProfile profile) {
    }

    private final FleetStore store;
    private final DomainService domains;
    private final NodeService nodes;

    @Activate
    public ProfileService(@Reference FleetStore store, @Reference DomainService domains,
            @Reference NodeService nodes) {
        this.store = Objects.requireNonNull(store, "store");
        this.domains = Objects.requireNonNull(domains, "domains");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
    }

    public ProfileView getDomainProfile(Caller caller, String domain) {
        DomainName name = checkedDomain(caller, Action.READ, domain);
        domains.find(name);
        return get(ProfileOwner.domain(name), io.weft.manager.store.ProfileOwner.domain(name.toString()));
    }

    /**
     * Returns the domain's profile, or empty when the domain has none.
     *
     * @throws NotFoundException when the domain does not exist
     */
    public Optional<ProfileView> findDomainProfile(Caller caller, String domain) {
        DomainName name = checkedDomain(caller, Action.READ, domain);
        domains.find(name);
        return findProfile(io.weft.manager.store.ProfileOwner.domain(name.toString()))
                .map(document -> view(ProfileOwner.domain(name), document));
    }

    public ProfileView getNodeProfile(Caller caller, String fullName) {
        NodeFullName name = NodeService.checked(caller, Action.READ, fullName);
        return get(ProfileOwner.node(name), storeOwner(name));
    }

    /**
     * Returns the node's profile, or empty when the node has none.
     *
     * @throws NotFoundException when the node does not exist
     */
    public Optional<ProfileView> findNodeProfile(Caller caller, String fullName) {
        NodeFullName name = NodeService.checked(caller, Action.READ, fullName);
        return findProfile(storeOwner(name)).map(document -> view(ProfileOwner.node(name), document));
    }

    /**
     * Creates the domain's profile when {@code expectedVersion} is empty, else replaces it.
     *
     * @throws PreconditionRequiredException when the profile exists and no version is given
     */
    public Written putDomainProfile(Caller caller, String domain, OptionalLong expectedVersion,
            ProfileJson.Document document) {
        DomainName name = checkedDomain(caller, Action.WRITE, domain);
        Profile profile = ProfileJson.toProfile(document);
        domains.find(name);

        return put(ProfileOwner.domain(name), io.weft.manager.store.ProfileOwner.domain(name.toString()),
                expectedVersion, profile);
    }

    /** Like {@link #putDomainProfile} for a node. */
    public Written putNodeProfile(Caller caller, String fullName, OptionalLong expectedVersion,
            ProfileJson.Document document) {
        NodeFullName name = NodeService.checked(caller, Action.WRITE, fullName);
        Profile profile = ProfileJson.toProfile(document);

        return put(ProfileOwner.node(name), storeOwner(name), expectedVersion, profile);
    }

    public void deleteDomainProfile(Caller caller, String domain, long expectedVersion) {
        DomainName name = checkedDomain(caller, Action.WRITE, domain);
        domains.find(name);
        delete(ProfileOwner.domain(name), io.weft.manager.store.ProfileOwner.domain(name.toString()), expectedVersion);
    }

    public void deleteNodeProfile(Caller caller, String fullName, long expectedVersion) {
        NodeFullName name = NodeService.checked(caller, Action.WRITE, fullName);
        delete(ProfileOwner.node(name), storeOwner(name), expectedVersion);
    }

    /** Computes the domain's effective profile from its own and its parent domains' profiles. */
    public Effective effectiveDomainProfile(Caller caller, String domain) {
        DomainName name = checkedDomain(caller, Action.READ, domain);
        domains.find(name);
        return new Effective(ProfileOwner.domain(name), ProfileResolver.resolve(domainLevels(name)));
    }

    /** Computes the node's effective profile from its domain chain and its own profile. */
    public Effective effectiveNodeProfile(Caller caller, String fullName) {
        NodeFullName name = NodeService.checked(caller, Action.READ, fullName);
        io.weft.manager.store.ProfileOwner owner = storeOwner(name);

        List<ProfileLevel> levels = domainLevels(name.domain());
        Profile nodeProfile = findProfile(owner).map(document -> ProfileJson.read(document.json()))
                .orElse(Profile.empty());
        levels.add(ProfileLevel.node(name, nodeProfile));
        return new Effective(ProfileOwner.node(name), ProfileResolver.resolve(levels));
    }

    private static DomainName checkedDomain(Caller caller, Action action, String domain) {
        DomainName name = DomainService.domainName("domain", domain);
        Permissions.check(caller, action, AccessTarget.domain(name));
        return name;
    }

    /** Returns the levels of the domain and its parents that have a profile, from the top. */
    private List<ProfileLevel> domainLevels(DomainName domain) {
        List<ProfileLevel> levels = new ArrayList<>(domain.depth() + 1);
        for (DomainName current = domain; current != null; current = current.parent().orElse(null)) {
            Optional<ProfileDocument> document = findProfile(io.weft.manager.store.ProfileOwner.domain(current.toString()));
            if (document.isPresent()) {
                levels.add(ProfileLevel.domain(current, ProfileJson.read(document.get().json())));
            }
        }
        Collections.reverse(levels);
        return levels;
    }

    private ProfileView get(ProfileOwner owner, io.weft.manager.store.ProfileOwner storeOwner) {
        ProfileDocument document = findProfile(storeOwner)
                .orElseThrow(() -> new NotFoundException(owner + " has no profile"));
        return view(owner, document);
    }

    private Written put(ProfileOwner owner, io.weft.manager.store.ProfileOwner storeOwner,
            OptionalLong expectedVersion, Profile profile) {
        String json = ProfileJson.write(profile);
        if (expectedVersion.isEmpty()) {
            return new Written(view(owner, StoreErrors.call(() -> create(storeOwner, json))), true);
        }

        long version = expectedVersion.getAsLong();
        ProfileDocument updated = StoreErrors.call(() -> withOwnerNotFound(owner,
                () -> store.updateProfile(storeOwner, version, json)));
        return new Written(view(owner, updated), false);
    }

    /** Creates a profile; an existing one makes the request an update that lacks If-Match. */
    private ProfileDocument create(io.weft.manager.store.ProfileOwner storeOwner, String json) {
        try {
            return store.createProfile(storeOwner, json);
        } catch (ConflictException e) {
            if (e.reason() == ConflictException.Reason.DUPLICATE) {
                throw new PreconditionRequiredException();
            }
            throw e;
        }
    }

    private void delete(ProfileOwner owner, io.weft.manager.store.ProfileOwner storeOwner, long expectedVersion) {
        StoreErrors.call(() -> withOwnerNotFound(owner, () -> {
            store.deleteProfile(storeOwner, expectedVersion);
            return null;
        }));
    }

    /**
     * Reports a missing profile with the owner's API name, because the store names a node's
     * profile by the node's internal id.
     */
    private static <T> T withOwnerNotFound(ProfileOwner owner, Supplier<T> work) {
        try {
            return work.get();
        } catch (io.weft.manager.store.NotFoundException e) {
            throw new NotFoundException(owner + " has no profile", e);
        }
    }

    private Optional<ProfileDocument> findProfile(io.weft.manager.store.ProfileOwner owner) {
        return StoreErrors.call(() -> store.findProfile(owner));
    }

    private io.weft.manager.store.ProfileOwner storeOwner(NodeFullName name) {
        return io.weft.manager.store.ProfileOwner.node(nodes.find(name).id());
    }

    private static ProfileView view(ProfileOwner owner, ProfileDocument document) {
        return new ProfileView(owner, ProfileJson.read(document.json()), document.version(), document.updatedAt());
    }
}
