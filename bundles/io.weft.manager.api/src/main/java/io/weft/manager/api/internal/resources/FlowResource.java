package io.weft.manager.api.internal.resources;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.fleet.FlowService;
import io.weft.manager.rest.api.WeftApiResource;

/** {@code /api/v1/flows}: the flow records that nodes reported for their mesh streams and Edge API calls. */
@Component(service = FlowResource.class)
@WeftApiResource
@Path("flows")
@Produces(MediaType.APPLICATION_JSON)
public class FlowResource {

    private final FlowService flows;

    @Activate
    public FlowResource(@Reference FlowService flows) {
        this.flows = flows;
    }

    @GET
    public FlowPageDto list(@Context SecurityContext security, @QueryParam("source") String source,
            @QueryParam("destination") String destination, @QueryParam("service") String service,
            @QueryParam("action") String action, @QueryParam("kind") String kind, @QueryParam("app") String app,
            @QueryParam("operation") String operation, @QueryParam("caller") String caller,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        FlowService.Filter filter = new FlowService.Filter(source, destination, service, action, kind, app,
                operation, caller, from, to, cursor, limit);
        return FlowPageDto.of(flows.list(Caller.of(security), filter));
    }
}
