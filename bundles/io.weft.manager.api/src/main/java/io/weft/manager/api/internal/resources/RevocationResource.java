package io.weft.manager.api.internal.resources;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.api.internal.fleet.NodeControlReader;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Node;

/**
 * {@code POST /api/v1/nodes/{node}/revoke}: revokes every certificate of a node, which closes
 * its control session and refuses its connections, and marks it revoked.
 */
@Component(service = RevocationResource.class)
@WeftApiResource
@Path("nodes/{fullName}/revoke")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RevocationResource {

    /** Request body; the reason is a CRL reason such as {@code key_compromise}, null for unspecified. */
    public record RevokeRequest(String reason) {
    }

    private final EnrollmentService enrollment;
    private final NodeControlReader controls;

    @Activate
    public RevocationResource(@Reference EnrollmentService enrollment, @Reference NodeControlReader controls) {
        this.enrollment = enrollment;
        this.controls = controls;
    }

    @POST
    public Response revoke(@Context SecurityContext security, @PathParam("fullName") String fullName,
            RevokeRequest request) {
        Node node = enrollment.revoke(Caller.of(security), fullName, request == null ? null : request.reason());
        return Responses.ok(NodeDto.of(node, controls.read(node)), node.version());
    }
}
