package io.weft.manager.api.internal.access;

import javax.ws.rs.core.SecurityContext;

import io.weft.manager.access.Role;

/** Security context of an authenticated request, which JAX-RS injects into resources. */
final class CallerSecurityContext implements SecurityContext {

    private final Caller caller;
    private final boolean secure;
    private final String scheme;

    CallerSecurityContext(Caller caller, boolean secure, String scheme) {
        this.caller = caller;
        this.secure = secure;
        this.scheme = scheme;
    }

    @Override
    public Caller getUserPrincipal() {
        return caller;
    }

    /**
     * Returns true when one of the caller's grants has the role, whatever its scope. Weft
     * decides access per target through the Authorizer, so resources should not rely on it.
     */
    @Override
    public boolean isUserInRole(String role) {
        return caller.principal().grants().stream().anyMatch(grant -> grant.role().code().equals(role));
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return scheme;
    }
}
