package io.weft.manager.api.internal.resources;

import java.net.URI;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.access.AccessService;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.IssuedTokenDto;
import io.weft.manager.api.internal.access.TokenDto;
import io.weft.manager.rest.api.WeftApiResource;

/** {@code /api/v1/tokens}: API tokens, issued with their secret once, listed and revoked without it. */
@Component(service = TokenResource.class)
@WeftApiResource
@Path("tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final AccessService access;

    @Activate
    public TokenResource(@Reference AccessService access) {
        this.access = access;
    }

    @GET
    public TokenPageDto list(@Context SecurityContext security, @QueryParam("owner") String owner) {
        return new TokenPageDto(access.listTokens(Caller.of(security), owner).stream().map(TokenDto::of).toList());
    }

    /** Issues a token; the response is the only place where its secret appears, so no cache keeps it. */
    @POST
    public Response issue(@Context SecurityContext security, TokenIssueRequest request) {
        IssuedTokenDto issued = access.issueToken(Caller.of(security), request.owner(), request.expiresAt());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.created(URI.create("tokens/" + issued.details().id())).cacheControl(noStore).entity(issued)
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@Context SecurityContext security, @PathParam("id") String id) {
        access.revokeToken(Caller.of(security), id);
        return Responses.noContent();
    }
}
