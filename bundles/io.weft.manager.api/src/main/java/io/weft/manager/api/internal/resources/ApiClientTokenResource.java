package io.weft.manager.api.internal.resources;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.apps.ApiClientTokenService;
import io.weft.manager.api.internal.apps.ApiClientTokenService.IssuedApiClientToken;
import io.weft.manager.rest.api.WeftApiResource;

/**
 * {@code /api/v1/api-clients/{client}/tokens}: issues a signed token with which an API client
 * calls app operations through the Edge API of the nodes.
 */
@Component(service = ApiClientTokenResource.class)
@WeftApiResource
@Path("api-clients/{client}/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiClientTokenResource {

    /** Request body: the scopes {@code app/operation} or {@code app/*}, and the lifetime (default one hour). */
    public record ApiClientTokenRequest(List<String> scopes, Long expiresInSeconds) {
    }

    private final ApiClientTokenService tokens;

    @Activate
    public ApiClientTokenResource(@Reference ApiClientTokenService tokens) {
        this.tokens = tokens;
    }

    /** Issues a token; the response is the only place where it appears, so no cache keeps it. */
    @POST
    public Response issue(@Context SecurityContext security, @PathParam("client") String client,
            ApiClientTokenRequest request) {
        ApiClientTokenRequest body = request == null ? new ApiClientTokenRequest(null, null) : request;
        IssuedApiClientToken issued = tokens.issue(Caller.of(security), client, body.scopes(),
                body.expiresInSeconds());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        // 200, not 201: the manager stores no token, so no resource exists for a Location header.
        return Response.ok(issued).cacheControl(noStore).build();
    }
}
