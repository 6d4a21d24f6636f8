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

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.api.internal.fleet.ProfileJson;
import io.weft.manager.api.internal.fleet.ProfileService;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Domain;

/**
 * {@code /api/v1/domains}: the domain tree, each domain's profile and its effective profile.
 * Every change is recorded in the audit log after it is committed.
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
        Domain domain = domains.create(caller, request.name(), request.description());

        DomainDto created = DomainDto.of(domain);
        audit.record(caller, "domain.create", domain.name(), null, created);
        return Responses.created("domains/" + domain.name(), created, domain.version());
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
        long version = ETags.requiredVersion(ifMatch);
        DomainDto before = DomainDto.of(domains.get(caller, name));
        Domain domain = domains.update(caller, name, version, request.description());

        DomainDto after = DomainDto.of(domain);
        audit.record(caller, "domain.update", domain.name(), before, after);
        return Responses.ok(after, domain.version());
    }

    @DELETE
    @Path("{domain}")
    public Response delete(@Context SecurityContext security, @PathParam("domain") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Caller caller = Caller.of(security);
        long version = ETags.requiredVersion(ifMatch);
        DomainDto before = DomainDto.of(domains.get(caller, name));
        domains.delete(caller, name, version);

        audit.record(caller, "domain.delete", before.name(), before, null);
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
        OptionalLong version = Responses.optionalVersion(ifMatch);
        ProfileDto before = version.isEmpty() ? null : ProfileDto.of(profiles.getDomainProfile(caller, name));
        ProfileService.Written written = profiles.putDomainProfile(caller, name, version, document);

        ProfileDto after = ProfileDto.of(written.profile());
        audit.record(caller, written.created() ? "profile.create" : "profile.update", after.owner(), before, after);
        return ProfileResponses.of(after, written.created(),
                "domains/" + written.profile().owner().domain() + "/profile");
    }

    @DELETE
    @Path("{domain}/profile")
    public Response deleteProfile(@Context SecurityContext security, @PathParam("domain") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Caller caller = Caller.of(security);
        long version = ETags.requiredVersion(ifMatch);
        ProfileDto before = ProfileDto.of(profiles.getDomainProfile(caller, name));
        profiles.deleteDomainProfile(caller, name, version);

        audit.record(caller, "profile.delete", before.owner(), before, null);
        return Responses.noContent();
    }

    @GET
    @Path("{domain}/effective-profile")
    public EffectiveProfileDto getEffectiveProfile(@Context SecurityContext security,
            @PathParam("domain") String name) {
        return EffectiveProfileDto.of(profiles.effectiveDomainProfile(Caller.of(security), name));
    }
}
