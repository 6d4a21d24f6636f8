package io.weft.manager.api.internal.resources;

import java.util.List;
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
import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.api.internal.fleet.NodeControlReader;
import io.weft.manager.api.internal.fleet.NodeFilter;
import io.weft.manager.api.internal.fleet.NodeService;
import io.weft.manager.api.internal.fleet.ProfileJson;
import io.weft.manager.api.internal.fleet.ProfileService;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Node;
import io.weft.manager.store.Page;

/**
 * {@code /api/v1/nodes}: nodes by full name, each node's profile and its effective profile.
 * Every change is recorded in the audit log in its transaction, and the control plane hears of
 * the node after it has committed.
 */
@Component(service = NodeResource.class)
@WeftApiResource
@Path("nodes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NodeResource {

    private final NodeService nodes;
    private final ProfileService profiles;
    private final AuditTrail audit;
    private final NodeControlReader controls;
    private final EnrollmentService enrollment;

    @Activate
    public NodeResource(@Reference NodeService nodes, @Reference ProfileService profiles,
            @Reference AuditTrail audit, @Reference NodeControlReader controls,
            @Reference EnrollmentService enrollment) {
        this.nodes = nodes;
        this.profiles = profiles;
        this.audit = audit;
        this.controls = controls;
        this.enrollment = enrollment;
    }

    @GET
    public NodePageDto list(@Context SecurityContext security, @QueryParam("domain") String domain,
            @QueryParam("tag") List<String> tags, @QueryParam("role") String role, @QueryParam("state") String state,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        NodeFilter filter = new NodeFilter(domain, tags, role, state, cursor, limit);
        Page<Node> page = nodes.list(Caller.of(security), filter);
        return NodePageDto.of(page, controls.read(page.items()));
    }

    @POST
    public Response create(@Context SecurityContext security, NodeCreateRequest request) {
        Caller caller = Caller.of(security);
        Node node = audit.atomically(() -> {
            Node stored = nodes.create(caller, request.name(), request.domain(), request.change());
            audit.record(caller, "node.create", stored.fullName(), null, dto(stored));
            return stored;
        }, NodeResource::changed);
        return Responses.created("nodes/" + node.fullName(), dto(node), node.version());
    }

    @GET
    @Path("{fullName}")
    public Response get(@Context SecurityContext security, @PathParam("fullName") String fullName) {
        Node node = nodes.get(Caller.of(security), fullName);
        return Responses.ok(dto(node), node.version());
    }

    @PUT
    @Path("{fullName}")
    public Response update(@Context SecurityContext security, @PathParam("fullName") String fullName,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, NodeUpdateRequest request) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        Node node = audit.atomically(() -> {
            NodeDto before = dto(nodes.get(caller, fullName));
            long version = ETags.requiredVersion(ifMatch, before.version());
            Node updated = nodes.update(caller, fullName, version, request.change());
            audit.record(caller, "node.update", updated.fullName(), before, dto(updated));
            return updated;
        }, NodeResource::changed);
        return Responses.ok(dto(node), node.version());
    }

    @PUT
    @Path("{fullName}/state")
    public Response putState(@Context SecurityContext security, @PathParam("fullName") String fullName,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, NodeStateRequest request) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        Node node = audit.atomically(() -> {
            NodeDto before = dto(nodes.get(caller, fullName));
            long version = ETags.requiredVersion(ifMatch, before.version());
            Node moved = nodes.moveTo(caller, fullName, version, request.state());
            if (moved.version() != before.version()) {
                audit.record(caller, "node.state-change", moved.fullName(), before, dto(moved));
            }
            return moved;
        }, NodeResource::changed);
        return Responses.ok(dto(node), node.version());
    }

    @DELETE
    @Path("{fullName}")
    public Response delete(@Context SecurityContext security, @PathParam("fullName") String fullName,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        audit.atomically(() -> {
            Node node = nodes.get(caller, fullName);
            NodeDto before = dto(node);
            nodes.delete(caller, fullName, ETags.requiredVersion(ifMatch, before.version()));
            audit.record(caller, "node.delete", before.fullName(), before, null);
            enrollment.revokeDeleted(caller, node);
            return node;
        }, NodeResource::changed);
        return Responses.noContent();
    }

    @GET
    @Path("{fullName}/profile")
    public Response getProfile(@Context SecurityContext security, @PathParam("fullName") String fullName) {
        ProfileDto profile = ProfileDto.of(profiles.getNodeProfile(Caller.of(security), fullName));
        return Responses.ok(profile, profile.version());
    }

    @PUT
    @Path("{fullName}/profile")
    public Response putProfile(@Context SecurityContext security, @PathParam("fullName") String fullName,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, ProfileJson.Document document) {
        Caller caller = Caller.of(security);
        if (ifMatch != null) {
            ETags.check(ifMatch);
        }
        ProfileWrite write = audit.atomically(() -> {
            ProfileDto before = ifMatch == null ? null
                    : Responses.matchedProfile(profiles.findNodeProfile(caller, fullName), "node " + fullName,
                            ifMatch);
            OptionalLong version = Responses.optionalVersion(ifMatch, before);
            ProfileService.Written stored = profiles.putNodeProfile(caller, fullName, version, document);
            ProfileDto after = ProfileDto.of(stored.profile());
            audit.record(caller, stored.created() ? "profile.create" : "profile.update", after.owner(), before, after);
            return new ProfileWrite(stored, nodes.get(caller, fullName).id());
        }, stored -> FleetChange.node(stored.nodeId()));
        ProfileService.Written written = write.written();
        ProfileDto after = ProfileDto.of(written.profile());
        return ProfileResponses.of(after, written.created(),
                "nodes/" + written.profile().owner().node().orElseThrow() + "/profile");
    }

    @DELETE
    @Path("{fullName}/profile")
    public Response deleteProfile(@Context SecurityContext security, @PathParam("fullName") String fullName,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Caller caller = Caller.of(security);
        ETags.check(ifMatch);
        audit.atomically(() -> {
            ProfileDto before = ProfileDto.of(profiles.getNodeProfile(caller, fullName));
            profiles.deleteNodeProfile(caller, fullName, ETags.requiredVersion(ifMatch, before.version()));
            audit.record(caller, "profile.delete", before.owner(), before, null);
            return nodes.get(caller, fullName);
        }, NodeResource::changed);
        return Responses.noContent();
    }

    @GET
    @Path("{fullName}/effective-profile")
    public EffectiveProfileDto getEffectiveProfile(@Context SecurityContext security,
            @PathParam("fullName") String fullName) {
        return EffectiveProfileDto.of(profiles.effectiveNodeProfile(Caller.of(security), fullName));
    }

    /** A written node profile and the id of its node, which the control plane needs. */
    private record ProfileWrite(ProfileService.Written written, String nodeId) {
    }

    private NodeDto dto(Node node) {
        return NodeDto.of(node, controls.read(node));
    }

    private static FleetChange changed(Node node) {
        return FleetChange.node(node.id());
    }
}
