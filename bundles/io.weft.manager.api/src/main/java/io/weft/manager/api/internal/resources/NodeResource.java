package io.weft.manager.api.internal.resources;

import java.util.List;

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

import io.weft.manager.api.internal.fleet.NodeFilter;
import io.weft.manager.api.internal.fleet.NodeService;
import io.weft.manager.api.internal.fleet.ProfileJson;
import io.weft.manager.api.internal.fleet.ProfileService;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Node;

/** {@code /api/v1/nodes}: nodes by full name, each node's profile and its effective profile. */
@Component(service = NodeResource.class)
@WeftApiResource
@Path("nodes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NodeResource {

    private final NodeService nodes;
    private final ProfileService profiles;

    @Activate
    public NodeResource(@Reference NodeService nodes, @Reference ProfileService profiles) {
        this.nodes = nodes;
        this.profiles = profiles;
    }

    @GET
    public NodePageDto list(@QueryParam("domain") String domain, @QueryParam("tag") List<String> tags,
            @QueryParam("role") String role, @QueryParam("state") String state,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return NodePageDto.of(nodes.list(new NodeFilter(domain, tags, role, state, cursor, limit)));
    }

    @POST
    public Response create(NodeCreateRequest request) {
        Node node = nodes.create(request.name(), request.domain(), request.change());
        return Responses.created("nodes/" + node.fullName(), NodeDto.of(node), node.version());
    }

    @GET
    @Path("{fullName}")
    public Response get(@PathParam("fullName") String fullName) {
        Node node = nodes.get(fullName);
        return Responses.ok(NodeDto.of(node), node.version());
    }

    @PUT
    @Path("{fullName}")
    public Response update(@PathParam("fullName") String fullName, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            NodeUpdateRequest request) {
        long version = ETags.requiredVersion(ifMatch);
        Node node = nodes.update(fullName, version, request.change());
        return Responses.ok(NodeDto.of(node), node.version());
    }

    @PUT
    @Path("{fullName}/state")
    public Response putState(@PathParam("fullName") String fullName, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            NodeStateRequest request) {
        long version = ETags.requiredVersion(ifMatch);
        Node node = nodes.moveTo(fullName, version, request.state());
        return Responses.ok(NodeDto.of(node), node.version());
    }

    @DELETE
    @Path("{fullName}")
    public Response delete(@PathParam("fullName") String fullName, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        nodes.delete(fullName, ETags.requiredVersion(ifMatch));
        return Responses.noContent();
    }

    @GET
    @Path("{fullName}/profile")
    public Response getProfile(@PathParam("fullName") String fullName) {
        ProfileDto profile = ProfileDto.of(profiles.getNodeProfile(fullName));
        return Responses.ok(profile, profile.version());
    }

    @PUT
    @Path("{fullName}/profile")
    public Response putProfile(@PathParam("fullName") String fullName, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            ProfileJson.Document document) {
        ProfileService.Written written =
                profiles.putNodeProfile(fullName, Responses.optionalVersion(ifMatch), document);
        return ProfileResponses.of(written, "nodes/" + written.profile().owner().node().orElseThrow() + "/profile");
    }

    @DELETE
    @Path("{fullName}/profile")
    public Response deleteProfile(@PathParam("fullName") String fullName, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        profiles.deleteNodeProfile(fullName, ETags.requiredVersion(ifMatch));
        return Responses.noContent();
    }

    @GET
    @Path("{fullName}/effective-profile")
    public EffectiveProfileDto getEffectiveProfile(@PathParam("fullName") String fullName) {
        return EffectiveProfileDto.of(profiles.effectiveNodeProfile(fullName));
    }
}
