package io.weft.manager.api.internal.resources;

import java.util.OptionalLong;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.events.FleetChange;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.api.internal.fleet.ProfileJson;
import io.weft.manager.api.internal.fleet.ProfileService;
import io.weft.manager.api.internal.fleet.ProfileView;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Domain;

/**
 * {@code /api/v1/domains}: the domain tree, each domain's profile and its effective profile.
 * Every change and its audit entry commit in one transaction.
 */
@Component(service = DomainResource.class)
@WeftApiResource
@Path("domains")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DomainResource {

    private final DomainService domains;
    private final ProfileService profiles;
    private final AuditTrail audit;

    @Activate
    public DomainResource(@Reference DomainService domains, @Reference ProfileService profiles,
            @Reference AuditTrail audit) {
        this.domains = domains;
        this.profiles = profiles;
        this.audit = audit;
    }

    @GET
    public DomainPageDto list(@Context SecurityContext security, @QueryParam("subtree") String subtree,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return DomainPageDto.of(domains.list(Caller.of(security), subtree, cursor, limit));
    }

    @POST
    public Response create(@Context SecurityContext security, DomainCreateRequest request) {
        Caller caller = Caller.of(security);
        Domain domain = audit.atomically(() -> {
            Domain stored = domains.create(caller, request.name(), request.description());
            audit.record(caller, "domain.create", stored.name(), null, DomainDto.of(stored));
            return stored;
        });
        return Responses.created("domains/" + domain.name(), DomainDto.of(domain), domain.version());
    }

    @GET
    @Path("{domain}")
    public Response get(@Context SecurityContext security, @PathParam("domain") String name) {
        Domain domain = domains.get(Caller.of(security), name);
        return Responses.ok(DomainDto.of(domain), domain.version());
    }

    @PUT
    @Path("{domain}")
    public Response update(@Context SecurityContext security, @PathParam("domain") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, DomainUpdateRequest request) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        Domain domain = audit.atomically(() -> {
            DomainDto before = DomainDto.of(domains.get(caller, name));
            long version = ETags.requiredVersion(ifMatch, before.version());
            Domain updated = domains.update(caller, name, version, request.description());
            audit.record(caller, "domain.update", updated.name(), before, DomainDto.of(updated));
            return updated;
        });
        return Responses.ok(DomainDto.of(domain), domain.version());
    }

    @DELETE
    @Path("{domain}")
    public Response delete(@Context SecurityContext security, @PathParam("domain") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        audit.atomically(() -> {
            DomainDto before = DomainDto.of(domains.get(caller, name));
            domains.delete(caller, name, ETags.requiredVersion(ifMatch, before.version()));
            audit.record(caller, "domain.delete", before.name(), before, null);
        });
        return Responses.noContent();
    }

    @GET
    @Path("{domain}/profile")
    public Response getProfile(@Context SecurityContext security, @PathParam("domain") String name) {
        ProfileDto profile = ProfileDto.of(profiles.getDomainProfile(Caller.of(security), name));
        return Responses.ok(profile, profile.version());
    }

    @PUT
    @Path("{domain}/profile")
    public Response putProfile(@Context SecurityContext security, @PathParam("domain") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, ProfileJson.Document document) {
        Caller caller = Caller.of(security);
        if (ifMatch != null) {
            ETags.check(ifMatch);
        }
        ProfileService.Written written = audit.atomically(() -> {
            ProfileDto before = ifMatch == null ? null
                    : Responses.matchedProfile(profiles.findDomainProfile(caller, name), "domain " + name,
                            ifMatch);
            OptionalLong version = Responses.optionalVersion(ifMatch, before);
            ProfileService.Written stored = profiles.putDomainProfile(caller, name, version, document);
            ProfileDto after = ProfileDto.of(stored.profile());
            audit.record(caller, stored.created() ? "profile.create" : "profile.update", after.owner(), before, after);
            return stored;
        }, stored -> FleetChange.domainSubtree(stored.profile().owner().domain().toString()));
        ProfileDto after = ProfileDto.of(written.profile());
        return ProfileResponses.of(after, written.created(),
                "domains/" + written.profile().owner().domain() + "/profile");
    }

    @DELETE
    @Path("{domain}/profile")
    public Response deleteProfile(@Context SecurityContext security, @PathParam("domain") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        audit.atomically(() -> {
            ProfileView before = profiles.getDomainProfile(caller, name);
            ProfileDto beforeDto = ProfileDto.of(before);
            profiles.deleteDomainProfile(caller, name, ETags.requiredVersion(ifMatch, before.version()));
            audit.record(caller, "profile.delete", beforeDto.owner(), beforeDto, null);
            return before;
        }, before -> FleetChange.domainSubtree(before.owner().domain().toString()));
        return Responses.noContent();
    }

    @GET
    @Path("{domain}/effective-profile")
    public EffectiveProfileDto getEffectiveProfile(@Context SecurityContext security,
            @PathParam("domain") String name) {
        return EffectiveProfileDto.of(profiles.effectiveDomainProfile(Caller.of(security), name));
    }
}
