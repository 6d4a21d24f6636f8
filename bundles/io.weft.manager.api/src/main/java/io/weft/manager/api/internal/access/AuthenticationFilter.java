package io.weft.manager.api.internal.access;

import java.security.SecureRandom;
import java.time.Clock;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.ClientErrorException;
import javax.ws.rs.ForbiddenException;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.access.ApiTokens;
import io.weft.manager.access.LoginThrottle;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.rest.api.WeftApi;
import io.weft.manager.store.AccessStore;

/**
 * Authenticates every request to the REST API before it is matched to a resource, so an
 * unknown path without credentials gets 401 rather than 404. Only {@code GET /api/v1} and
 * {@code GET /api/v1/openapi.json} are public: they describe the API and contain no fleet data.
 * {@code POST /api/v1/enroll} needs no operator credentials, because its enrollment token
 * authenticates it.
 *
 * <p>The API is served over HTTPS only: a request over plain HTTP gets 403 before anything
 * else, so no credential is ever checked on an unencrypted connection.
 *
 * <p>A rejected request gets 401 with {@code WWW-Authenticate} challenges for Basic and Bearer,
 * and a message that distinguishes missing credentials, a malformed header, a failed password
 * login and a rejected token. A failed password login gets one message whether the user name is
 * unknown, the password wrong or the account disabled, so that the message does not reveal
 * which user names exist. The exact reason goes to this class's log at INFO, without the
 * password or token secret. A password login that the
 * {@link LoginThrottle} blocks gets 429 with {@code Retry-After} in seconds. An authenticated
 * request carries a {@link Caller} as the user principal of its {@code SecurityContext}.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName(WeftApi.AUTHENTICATION_FILTER_NAME)
@JaxrsApplicationSelect(WeftApi.APPLICATION_SELECT)
@PreMatching
public class AuthenticationFilter implements ContainerRequestFilter {

    static final String REALM = "weft";
    static final String HTTPS_REQUIRED_MESSAGE = "the REST API is served over HTTPS only: send the request to the"
            + " manager's HTTPS port (8443 unless its configuration says otherwise), with the root CA in"
            + " data/weft/ca/root-ca.pem as trust anchor";

    /** Path of the enrollment endpoint below the API's base. */
    static final String ENROLL_PATH = "enroll";

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationFilter.class);

    private final Authenticator authenticator;

    // Thread-local proxy that the JAX-RS runtime injects.
    @Context
    HttpServletRequest servletRequest;

    @Activate
    public AuthenticationFilter(@Reference AccessStore store) {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        this.authenticator = new Authenticator(store, new PasswordHasher(random), new ApiTokens(random, clock),
                new LoginThrottle(clock), clock);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        if (!secure) {
            LOG.info("REST authentication: rejected {} {} over plain HTTP", request.getMethod(), path(request));
            throw new ForbiddenException(HTTPS_REQUIRED_MESSAGE);
        }
        if (isPublic(request)) {
            return;
        }
        String remoteAddress = servletRequest == null ? null : servletRequest.getRemoteAddr();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);

        Caller caller;
        try {
            caller = authenticator.authenticate(authorization, remoteAddress);
        } catch (AuthenticationFailedException e) {
            LOG.info("REST authentication: rejected {} {} from {}: {}", request.getMethod(), path(request),
                    remoteAddress, e.getMessage());
            throw new NotAuthorizedException(e.kind().clientMessage(), challenge(Authenticator.BASIC),
                    challenge(Authenticator.BEARER));
        } catch (LoginThrottledException e) {
            LOG.info("REST authentication: throttled {} {} from {}: {}", request.getMethod(), path(request),
                    remoteAddress, e.getMessage());
            throw new ClientErrorException(e.getMessage(), Response.status(429)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).build());
        }

        String scheme = authorization.regionMatches(true, 0, Authenticator.BEARER, 0, Authenticator.BEARER.length())
                ? Authenticator.BEARER : javax.ws.rs.core.SecurityContext.BASIC_AUTH;
        request.setSecurityContext(new CallerSecurityContext(caller, true, scheme));
    }

    /**
     * Returns true for the two read-only documents of the API, and for enrollment, which its
     * token authenticates.
     */
    static boolean isPublic(ContainerRequestContext request) {
        String path = path(request);
        if (HttpMethod.POST.equals(request.getMethod())) {
            return path.equals(ENROLL_PATH);
        }
        if (!HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod())) {
            return false;
        }
        return path.isEmpty() || path.equals("openapi.json");
    }

    /** Returns the path relative to the API's base, without leading or trailing slashes. */
    private static String path(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    private static String challenge(String scheme) {
        return scheme + " realm=\"" + REALM + "\"";
    }
}
