package io.weft.manager.api.internal.resources;

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
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.api.internal.fleet.ProfileJson;
import io.weft.manager.api.internal.fleet.ProfileService;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Domain;

/** {@code /api/v1/domains}: the domain tree, each domain's profile and its effective profile. */
@Component(service = DomainResource.class)
@WeftApiResource
@Path("domains")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DomainResource {

    private final DomainService domains;
    private final ProfileService profiles;

    @Activate
    public DomainResource(@Reference DomainService domains, @Reference ProfileService profiles) {
        this.domains = domains;
        this.profiles = profiles;
    }

    @GET
    public DomainPageDto list(@QueryParam("subtree") String subtree, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return DomainPageDto.of(domains.list(subtree, cursor, limit));
    }

    @POST
    public Response create(DomainCreateRequest request) {
        Domain domain = domains.create(request.name(), request.description());
        return Responses.created("domains/" + domain.name(), DomainDto.of(domain), domain.version());
    }

    @GET
    @Path("{domain}")
    public Response get(@PathParam("domain") String name) {
        Domain domain = domains.get(name);
        return Responses.ok(DomainDto.of(domain), domain.version());
    }

    @PUT
    @Path("{domain}")
    public Response update(@PathParam("domain") String name, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            DomainUpdateRequest request) {
        long version = ETags.requiredVersion(ifMatch);
        Domain domain = domains.update(name, version, request.description());
        return Responses.ok(DomainDto.of(domain), domain.version());
    }

    @DELETE
    @Path("{domain}")
    public Response delete(@PathParam("domain") String name, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        domains.delete(name, ETags.requiredVersion(ifMatch));
        return Responses.noContent();
    }

    @GET
    @Path("{domain}/profile")
    public Response getProfile(@PathParam("domain") String name) {
        ProfileDto profile = ProfileDto.of(profiles.getDomainProfile(name));
        return Responses.ok(profile, profile.version());
    }

    @PUT
    @Path("{domain}/profile")
    public Response putProfile(@PathParam("domain") String name, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            ProfileJson.Document document) {
        ProfileService.Written written =
                profiles.putDomainProfile(name, Responses.optionalVersion(ifMatch), document);
        return ProfileResponses.of(written, "domains/" + written.profile().owner().domain() + "/profile");
    }

    @DELETE
    @Path("{domain}/profile")
    public Response deleteProfile(@PathParam("domain") String name, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        profiles.deleteDomainProfile(name, ETags.requiredVersion(ifMatch));
        return Responses.noContent();
    }

    @GET
    @Path("{domain}/effective-profile")
    public EffectiveProfileDto getEffectiveProfile(@PathParam("domain") String name) {
        return EffectiveProfileDto.of(profiles.effectiveDomainProfile(name));
    }
}
