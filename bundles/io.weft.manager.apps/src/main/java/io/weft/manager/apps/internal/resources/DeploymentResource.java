package io.weft.manager.apps.internal.resources;

import java.net.URI;
import java.util.Objects;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
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

import io.weft.manager.apps.internal.ApiCallers;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentDto;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentListDto;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentRequest;
import io.weft.manager.apps.internal.DeploymentService;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;

/**
 * {@code /api/v1/deployments}: app versions deployed to target selectors, with the state of
 * each target node. The ETag of a deployment is its revision.
 */
@Component(service = DeploymentResource.class)
@WeftApiResource
@Path("deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    private final DeploymentService deployments;

    @Activate
    public DeploymentResource(@Reference DeploymentService deployments) {
        this.deployments = Objects.requireNonNull(deployments, "deployments");
    }

    @POST
    public Response create(@Context SecurityContext security, DeploymentRequest request) {
        DeploymentDto created = deployments.create(ApiCallers.of(security), request);
        return Response.created(URI.create("deployments/" + created.id())).entity(created)
                .tag(ETags.of(created.revision())).build();
    }

    @GET
    public DeploymentListDto list(@Context SecurityContext security) {
        return new DeploymentListDto(deployments.list(ApiCallers.of(security)));
    }

    @GET
    @Path("{id}")
    public Response get(@Context SecurityContext security, @PathParam("id") String id) {
        DeploymentDto deployment = deployments.get(ApiCallers.of(security), id);
        return Response.ok(deployment).tag(ETags.of(deployment.revision())).build();
    }

    @PUT
    @Path("{id}")
    public Response update(@Context SecurityContext security, @PathParam("id") String id,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, DeploymentRequest request) {
        DeploymentDto updated = deployments.update(ApiCallers.of(security), id, ifMatch, request);
        return Response.ok(updated).tag(ETags.of(updated.revision())).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        deployments.delete(ApiCallers.of(security), id, ifMatch);
        return Response.noContent().build();
    }
}
