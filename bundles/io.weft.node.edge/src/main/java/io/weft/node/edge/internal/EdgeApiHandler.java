package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.policy.AppOperation;
import io.weft.policy.Decision;

/**
 * Serves {@code POST /api/v1/apps/{app}/ops/{operation}}, and {@code GET} for safe operations:
 * authenticates and rate-limits the caller, finds the operation, authorizes the call, reads the
 * body within its size limit and runs the operation with {@link CallRunner}. Every failure gets
 * a response in the JSON error shape of {@link EdgeError}.
 */
final class EdgeApiHandler extends AbstractHandler {

    static final String CLIENT_CERTIFICATES = "javax.servlet.request.X509Certificate";

    private static final Logger LOG = LoggerFactory.getLogger(EdgeApiHandler.class);
    /**
     * Flow records: each denied call and each rejected authentication at INFO, and each
     * allowed call with its deciding rule at DEBUG.
     */
    private static final Logger FLOWS = LoggerFactory.getLogger("io.weft.node.edge.flows");

    private final OperationRegistry registry;
    private final Supplier<EdgeContext> context;
    private final EdgeSettings settings;
    private final RateLimiter limiter;
    private final CallRunner runner;
    private final Clock clock;

    EdgeApiHandler(OperationRegistry registry, Supplier<EdgeContext> context, EdgeSettings settings,
            OperationInvoker invoker, Clock clock) {
        this.registry = registry;
        this.context = context;
        this.settings = settings;
        this.limiter = new RateLimiter(settings.ratePerSecond(), settings.burst(), System::nanoTime);
        this.runner = new CallRunner(invoker);
        this.clock = clock;
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        base.setHandled(true);
        try {
            serve(request, response);
        } catch (EdgeError e) {
            logRejection(request, e);
            writeError(response, e);
        }
    }

    /** Logs a rejected authentication as a security event, and other caller errors only at DEBUG. */
    private static void logRejection(HttpServletRequest request, EdgeError error) {
        if (error.status() == 401) {
            FLOWS.info("reject {} {} from {}: {}", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), error.getMessage());
        } else if (error.status() != 403) {
            LOG.debug("Edge API: {} {} from {} gets {}: {}", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), error.status(), error.getMessage());
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AppOperation operation = CallPath.parse(request.getRequestURI());
        EdgeContext current = context.get();
        if (current == null) {
            throw new EdgeError(503, "not_enrolled", "The node has not enrolled yet, so it cannot authenticate"
                    + " callers.", null);
        }
        // Authentication comes before the lookup, so an unknown caller cannot probe which apps are installed.
        AuthenticatedCaller caller = current.authenticator().authenticate(request.getHeader("Authorization"),
                (X509Certificate[]) request.getAttribute(CLIENT_CERTIFICATES));
        requireRate(caller, response);
        RegisteredOperation registered = registry.find(operation).orElseThrow(() -> EdgeError.notFound(
                "No installed app publishes the operation '" + operation + "' on this node."));
        requireMethod(request, response, registered.declaration());
        authorize(current, caller, registered.declaration());
        Instant deadline = clock.instant().plusMillis(settings.timeoutMillis(registered.declaration()));
        EdgeRequest call = edgeRequest(request, operation, caller, deadline);
        runner.run(registered, call, request, response);
    }

    private static void requireMethod(HttpServletRequest request, HttpServletResponse response,
            OperationDeclaration declaration) {
        String method = request.getMethod();
        boolean allowed = "POST".equals(method) || ("GET".equals(method) && declaration.safe());
        if (!allowed) {
            response.setHeader("Allow", declaration.safe() ? "GET, POST" : "POST");
            throw new EdgeError(405, "method_not_allowed", "The operation '" + declaration.operation()
                    + "' accepts " + (declaration.safe() ? "GET and POST" : "only POST, because it is not declared"
                    + " safe") + ", not " + method + ".", null);
        }
    }

    private void requireRate(AuthenticatedCaller caller, HttpServletResponse response) {
        if (!limiter.tryAcquire(caller.caller().toString())) {
            response.setHeader("Retry-After", Long.toString(limiter.retryAfterSeconds()));
            throw new EdgeError(429, "rate_limited", caller.caller() + " passed its limit of "
                    + settings.ratePerSecond() + " calls per second with a burst of " + settings.burst()
                    + ". Retry after the Retry-After seconds.", null);
        }
    }

    private static void authorize(EdgeContext current, AuthenticatedCaller caller, OperationDeclaration declaration) {
        Decision decision;
        try {
            decision = current.authorizer().authorize(caller, declaration);
        } catch (EdgeError e) {
            FLOWS.info("deny {} -> {}: {}", caller.caller(), declaration.operation(), e.getMessage());
            throw e;
        }
        FLOWS.debug("allow {} -> {}: {}", caller.caller(), declaration.operation(), decision.reason());
    }

    private EdgeRequest edgeRequest(HttpServletRequest request, AppOperation operation, AuthenticatedCaller caller,
            Instant deadline) throws IOException {
        byte[] body = readBody(request, settings.maxBodyBytes());
        return new EdgeRequest(operation, caller.caller(), deadline, body, headers(request),
                parameters(request.getQueryString()), parseJson(request.getContentType(), body));
    }

    /** Reads the body, or throws 413 when it is larger than the limit. */
    static byte[] readBody(HttpServletRequest request, int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(body.length, maxBytes);
            }
            return body;
        }
    }

    private static EdgeError tooLarge(long size, int maxBytes) {
        return new EdgeError(413, "payload_too_large", "The request body has " + (size > maxBytes ? "more than " : "")
                + maxBytes + " bytes, the maximum of this node. Send a smaller body.", null);
    }

    /** Parses a JSON body before the call, so that malformed JSON gets 400 whatever the app does with it. */
    static EdgeRequest.ParsedBody parseJson(String contentType, byte[] body) {
        boolean json = contentType == null || contentType.toLowerCase().startsWith("application/json");
        if (!json || body.length == 0) {
            return null;
        }
        try {
            return new EdgeRequest.ParsedBody(Json.parse(body));
        } catch (IOException e) {
            throw EdgeError.badRequest("invalid_json", EdgeRequest.invalidJsonMessage(e), null);
        }
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.putIfAbsent(name, request.getHeader(name));
            }
        }
        return headers;
    }

    /** Reads the query string without touching the body, which a form content type would make Jetty read. */
    static Map<String, List<String>> parameters(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> List.copyOf(values));
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EdgeError.badRequest("invalid_query", "The query string has an invalid escape in '" + text
                    + "'.", null);
        }
    }

    static void writeError(HttpServletResponse response, EdgeError error) throws IOException {
        if (response.isCommitted()) {
            LOG.debug("Edge API: cannot send error {} because the response is committed", error.code());
            return;
        }
        if (error.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"weft-edge\"");
        }
        writeJson(response, error.status(), Json.error(error.code(), error.getMessage(), error.field()));
    }

    static void writeJson(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        if (body == null) {
            return;
        }
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
