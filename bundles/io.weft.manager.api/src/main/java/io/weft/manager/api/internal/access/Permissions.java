package io.weft.manager.api.internal.access;

import javax.ws.rs.ForbiddenException;

import io.weft.manager.access.AccessDeniedException;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.Authorizer;

/**
 * Checks a caller's grants with the {@link Authorizer} and turns a denial into 403 with the
 * Authorizer's message, which names the caller's grants and the roles that would allow the
 * request.
 */
public final class Permissions {

    private static final Authorizer AUTHORIZER = new Authorizer();

    private Permissions() {
    }

    /** Checks that the caller may perform the action on the target, or throws 403. */
    public static void check(Caller caller, Action action, AccessTarget target) {
        try {
            AUTHORIZER.check(caller.principal(), action, target);
        } catch (AccessDeniedException e) {
            throw new ForbiddenException(e.getMessage(), e);
        }
    }

    public static boolean permits(Caller caller, Action action, AccessTarget target) {
        return AUTHORIZER.permits(caller.principal(), action, target);
    }
}
