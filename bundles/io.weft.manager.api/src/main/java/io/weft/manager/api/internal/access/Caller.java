package io.weft.manager.api.internal.access;

import java.util.Objects;

import javax.ws.rs.core.SecurityContext;

import io.weft.manager.access.ApiCaller;
import io.weft.manager.access.Principal;

/**
 * Authenticated client of one API request: the operator with its grants, and the client's IP
 * address for the audit log. The authentication filter sets it as the request's
 * {@link SecurityContext#getUserPrincipal() user principal}.
 *
 * @param principal     the operator on whose behalf the request runs
 * @param remoteAddress the client's IP address, or null when the server did not report one
 */
public record Caller(Principal principal, String remoteAddress) implements ApiCaller {

    public Caller {
        Objects.requireNonNull(principal, "principal");
    }

    /**
     * Returns the caller that the authentication filter set on the request.
     *
     * @throws IllegalStateException when the request was not authenticated, which happens only
     *                               on a path that the filter exempts
     */
    public static Caller of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("The request has no authenticated caller; the authentication filter"
                + " exempts only the API root and the OpenAPI document");
    }

    /** Returns the operator's user name. */
    @Override
    public String getName() {
        return principal.name();
    }
}
