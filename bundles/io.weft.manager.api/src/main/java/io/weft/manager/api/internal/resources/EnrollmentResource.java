package io.weft.manager.api.internal.resources;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
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
import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.manager.store.StoredEnrollmentToken;

/**
 * {@code /api/v1/nodes/{node}/enrollment-tokens}: the single-use tokens that enroll a node.
 *
 * <p>The class path names the whole sub-path, because JAX-RS matches root resources by their
 * longest literal path and never falls back to another one: a class at {@code nodes/{fullName}}
 * would take every request to a node away from the node resource.
 */
@Component(service = EnrollmentResource.class)
@WeftApiResource
@Path("nodes/{fullName}/enrollment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnrollmentResource {

    /**
     * Request body of a token.
     *
     * @param expiresInSeconds lifetime of the token, 300 to 2592000 seconds; null for 24 hours
     */
    public record TokenRequest(Long expiresInSeconds) {
    }

    /** A token listed without its secret. */
    public record TokenDto(String id, String createdBy, String createdAt, String expiresAt, String usedAt) {

        static TokenDto of(StoredEnrollmentToken token) {
            return new TokenDto(token.id(), token.createdBy(), token.createdAt().toString(),
                    token.expiresAt().toString(), token.usedAt().map(Instant::toString).orElse(null));
        }
    }

    /**
     * A token created now.
     *
     * @param token the whole token for {@code weft:enroll}; this response is its only copy
     */
    public record IssuedTokenDto(String token, String node, TokenDto details) {
    }

    public record TokenListDto(List<TokenDto> items) {
    }

    private final EnrollmentService enrollment;

    @Activate
    public EnrollmentResource(@Reference EnrollmentService enrollment) {
        this.enrollment = enrollment;
    }

    /** Creates a token; the response is the only place where it appears, so no cache keeps it. */
    @POST
    public Response createToken(@Context SecurityContext security, @PathParam("fullName") String fullName,
            TokenRequest request) {
        EnrollmentService.IssuedToken issued = enrollment.createToken(Caller.of(security), fullName,
                request == null ? null : request.expiresInSeconds());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        IssuedTokenDto body = new IssuedTokenDto(issued.token(), issued.node().fullName(), TokenDto.of(issued.stored()));
        return Response.created(URI.create("nodes/" + issued.node().fullName() + "/enrollment-tokens"))
                .cacheControl(noStore).entity(body).build();
    }

    @GET
    public TokenListDto listTokens(@Context SecurityContext security, @PathParam("fullName") String fullName) {
        return new TokenListDto(enrollment.listTokens(Caller.of(security), fullName).stream().map(TokenDto::of)
                .toList());
    }
}
