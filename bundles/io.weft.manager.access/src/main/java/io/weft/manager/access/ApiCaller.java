package io.weft.manager.access;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Authenticated client of one request to the manager's REST API. The API's authentication
 * filter sets it as the user principal of the request's {@code SecurityContext}, so resources
 * in any bundle can read the operator and the client's address from it.
 */
@ProviderType
public interface ApiCaller extends java.security.Principal {

    /** Returns the operator on whose behalf the request runs, with the grants of the account. */
    Principal principal();

    /** Returns the client's IP address for the audit log, or null when the server did not report one. */
    String remoteAddress();
}
