package io.weft.manager.apps.internal;

import javax.ws.rs.ForbiddenException;
import javax.ws.rs.core.SecurityContext;

import io.weft.manager.access.AccessDeniedException;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.access.Authorizer;

/**
 * Reads the caller that the API's authentication filter set on a request, and checks its
 * grants with the {@link Authorizer}, turning a denial into 403 with the Authorizer's message.
 */
public final class ApiCallers {

    private static final Authorizer AUTHORIZER = new Authorizer();

    private ApiCallers() {
    }

    /**
     * Returns the authenticated caller of a request.
     *
     * @throws IllegalStateException when the request was not authenticated, which happens only
     *                               on a path that the filter exempts
     */
    public static ApiCaller of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof ApiCaller caller) {
            return caller;
        }
        throw new IllegalStateException("The request has no authenticated caller; the authentication filter"
                + " exempts only the API root and the OpenAPI document");
    }

    /** Checks that the caller may perform the action on the target, or throws 403. */
    static void check(ApiCaller caller, Action action, AccessTarget target) {
        try {
            AUTHORIZER.check(caller.principal(), action, target);
        } catch (AccessDeniedException e) {
            throw new ForbiddenException(e.getMessage(), e);
        }
    }

    static boolean permits(ApiCaller caller, Action action, AccessTarget target) {
        return AUTHORIZER.permits(caller.principal(), action, target);
    }

    /** Checks that the caller may read something, in some domain or over the whole fleet, or throws 403. */
    static void checkReadsAnything(ApiCaller caller) {
        boolean reads = caller.principal().grants().stream().anyMatch(grant -> grant.role().allows(Action.READ));
        if (!reads) {
            check(caller, Action.READ, AccessTarget.fleet());
        }
    }
}
