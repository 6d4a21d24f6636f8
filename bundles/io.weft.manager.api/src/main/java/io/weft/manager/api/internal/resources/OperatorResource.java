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
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.access.AccessService;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.OperatorDto;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.Operator;

/** {@code /api/v1/operators}: operator accounts with their grants, and their passwords. */
@Component(service = OperatorResource.class)
@WeftApiResource
@Path("operators")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OperatorResource {

    private final AccessService access;

    @Activate
    public OperatorResource(@Reference AccessService access) {
        this.access = access;
    }

    @GET
    public OperatorPageDto list(@Context SecurityContext security) {
        return new OperatorPageDto(access.listOperators(Caller.of(security)).stream().map(OperatorDto::of).toList());
    }

    @POST
    public Response create(@Context SecurityContext security, OperatorCreateRequest request) {
        Operator operator = access.createOperator(Caller.of(security), request.name(), request.password(),
                request.grants());
        return Responses.created("operators/" + operator.name(), OperatorDto.of(operator), operator.version());
    }

    @GET
    @Path("{name}")
    public Response get(@Context SecurityContext security, @PathParam("name") String name) {
        Operator operator = access.getOperator(Caller.of(security), name);
        return Responses.ok(OperatorDto.of(operator), operator.version());
    }

    @PUT
    @Path("{name}")
    public Response update(@Context SecurityContext security, @PathParam("name") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, OperatorUpdateRequest request) {
        Operator operator = access.updateOperator(Caller.of(security), name, ifMatch, request.grants(),
                request.disabled());
        return Responses.ok(OperatorDto.of(operator), operator.version());
    }

    @DELETE
    @Path("{name}")
    public Response delete(@Context SecurityContext security, @PathParam("name") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        access.deleteOperator(Caller.of(security), name, ifMatch);
        return Responses.noContent();
    }

    @PUT
    @Path("{name}/password")
    public Response changePassword(@Context SecurityContext security, @PathParam("name") String name,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, PasswordChangeRequest request) {
        Operator operator = access.changePassword(Caller.of(security), name, ifMatch, request.password());
        return Responses.ok(OperatorDto.of(operator), operator.version());
    }
}
