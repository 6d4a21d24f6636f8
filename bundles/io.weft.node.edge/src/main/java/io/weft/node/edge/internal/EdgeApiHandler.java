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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.fleet.NodeFullName;
import io.weft.node.agent.api.FlowEvent;
import io.weft.policy.AppOperation;
import io.weft.policy.Decision;

/**
 * Serves {@code POST /api/v1/apps/{app}/ops/{operation}}, and {@code GET} for safe operations:
 * authenticates and rate-limits the caller, finds the operation, authorizes the call, reads the
 * body within its size limit and runs the operation with {@link CallRunner}. A call for an app
 * that this node does not run, or for another node named by the {@value #TARGET_NODE} header,
 * goes to the nearest node that runs the app through {@link CallForwarder}. Every failure gets
 * a response in the JSON error shape of {@link EdgeError}. A call that was allowed, or denied
 * with 401 or 403, ends with one flow event, which {@link CallFlow} collects.
 */
final class EdgeApiHandler extends AbstractHandler {

    static final String CLIENT_CERTIFICATES = "javax.servlet.request.X509Certificate";
    /** Request header that names the node that must serve the call, this one or another. */
    static final String TARGET_NODE = "Weft-Node";
    /** Request attribute set once the call reaches the operation or another node. */
    private static final String DISPATCHED = EdgeApiHandler.class.getName() + ".dispatched";
    /** Request headers that apply to one connection or that this node sets itself when forwarding. */
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "host", "connection",
            "content-length", "transfer-encoding", "keep-alive", "te", "trailer", "upgrade", "expect",
            "proxy-authorization", "proxy-connection", "weft-node");

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
    private final Supplier<AppLocations> locations;
    private final CallForwarder forwarder;
    private final Consumer<FlowEvent> flowSink;

    /** Creates a handler that forwards no call, because it has no locations of other nodes, and records no flows. */
    EdgeApiHandler(OperationRegistry registry, Supplier<EdgeContext> context, EdgeSettings settings,
            OperationInvoker invoker, Clock clock) {
        this(registry, context, settings, invoker, clock, () -> AppLocations.NONE,
                new CallForwarder(new RemoteEdgeApi(() -> null), 1), event -> { });
    }

    /**
     * @param locations returns the other nodes that run each app
     * @param forwarder forwards a call for an app that this node does not run
     * @param flowSink  takes the flow event of each call, and must not block
     */
    EdgeApiHandler(OperationRegistry registry, Supplier<EdgeContext> context, EdgeSettings settings,
            OperationInvoker invoker, Clock clock, Supplier<AppLocations> locations, CallForwarder forwarder,
            Consumer<FlowEvent> flowSink) {
        this.flowSink = flowSink;
        this.locations = locations;
        this.forwarder = forwarder;
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
        CallFlow flow = new CallFlow(clock.instant(), System::nanoTime, base.getHttpChannel()::getBytesWritten,
                flowSink);
        try {
            serve(request, response, flow);
        } catch (EdgeError e) {
            logRejection(request, e);
            if (request.getAttribute(DISPATCHED) == null) {
                // Lets a node that forwarded the call try another node, because the operation did not run.
                response.setHeader(CallForwarder.NOT_EXECUTED, "true");
            }
            writeError(response, e);
            flow.reject(e);
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

    private void serve(HttpServletRequest request, HttpServletResponse response, CallFlow flow) throws IOException {
        AppOperation operation = CallPath.parse(request.getRequestURI());
        flow.operation(operation);
        EdgeContext current = context.get();
        if (current == null) {
            throw new EdgeError(503, "not_enrolled", "The node has not enrolled yet, so it cannot authenticate"
                    + " callers.", null);
        }
        flow.servedBy(current.self());
        // Authentication comes before the lookup, so an unknown caller cannot probe which apps are installed.
        AuthenticatedCaller caller = current.authenticator().authenticate(request.getHeader("Authorization"),
                (X509Certificate[]) request.getAttribute(CLIENT_CERTIFICATES));
        flow.caller(caller);
        requireRate(caller, response);
        Optional<NodeFullName> target = targetNode(request, current.self());
        // A call stays here when the caller named this node or when this node runs the app, even
        // without the operation, so a misspelt operation gets 404 from here.
        boolean onlyHere = target.isEmpty() && (hasTargetNode(request) || registry.hasApp(operation.app()));
        Optional<RegisteredOperation> local = target.isPresent() ? Optional.empty() : registry.find(operation);
        if (local.isEmpty() && !onlyHere) {
            forward(request, response, current, caller, operation, target, flow);
            return;
        }
        RegisteredOperation registered = local.orElseThrow(() -> EdgeError.notFound(
                "No installed app publishes the operation '" + operation + "' on this node."));
        requireMethod(request, response, registered.declaration());
        flow.allowed(authorize(current, caller, registered.declaration()));
        Instant deadline = clock.instant().plusMillis(settings.timeoutMillis(registered.declaration()));
        EdgeRequest call = edgeRequest(request, operation, caller, deadline);
        flow.requestBytes(call.body().length);
        request.setAttribute(DISPATCHED, Boolean.TRUE);
        runner.run(registered, call, request, response, flow);
    }

    /**
     * Forwards a call for an app that this node does not run, or for another node that the
     * caller named, to the nearest node that runs it.
     */
    private void forward(HttpServletRequest request, HttpServletResponse response, EdgeContext current,
            AuthenticatedCaller caller, AppOperation operation, Optional<NodeFullName> target, CallFlow flow)
            throws IOException {
        if (caller.relay().isPresent()) {
            // A 404 before running lets the forwarding node try the next node that runs the app.
            throw EdgeError.notFound("No installed app publishes the operation '" + operation + "' on this node,"
                    + " and node '" + caller.relay().get() + "' forwarded the call already, so it goes no further.");
        }
        List<NodeFullName> candidates = locations.get().candidates(operation.app(), current.self());
        if (target.isPresent() && !candidates.contains(target.get())) {
            throw EdgeError.notFound("The " + TARGET_NODE + " header names node '" + target.get() + "', which does"
                    + " not exist or does not run app '" + operation.app() + "' as far as the manager told this node."
                    + " Name a node that runs the app, or leave out the header to let this node pick one.");
        }
        List<NodeFullName> nodes = target.map(List::of).orElse(candidates);
        if (nodes.isEmpty()) {
            throw EdgeError.notFound("No installed app publishes the operation '" + operation + "' on this node,"
                    + " and no other node that this node knows of runs app '" + operation.app() + "'.");
        }
        String query = request.getQueryString();
        ForwardedCall call = new ForwardedCall(operation, request.getMethod(),
                request.getRequestURI() + (query == null ? "" : "?" + query), forwardedHeaders(request),
                caller.token().isPresent() ? request.getHeader("Authorization") : null,
                readBody(request, settings.maxBodyBytes()), caller);
        flow.requestBytes(call.body().length);
        // From here an error may come after the call ran on another node, so no retry must be invited.
        request.setAttribute(DISPATCHED, Boolean.TRUE);
        forwarder.forward(current, call, nodes, response, flow);
    }

    /** Returns the other node that the {@value #TARGET_NODE} header names, empty without one or for this node. */
    private static Optional<NodeFullName> targetNode(HttpServletRequest request, NodeFullName self) {
        String header = request.getHeader(TARGET_NODE);
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        NodeFullName node;
        try {
            node = NodeFullName.parse(header.strip().toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw EdgeError.badRequest("invalid_node", "The " + TARGET_NODE + " header '" + header + "' is not a node's"
                    + " full name such as edge-b.site-b.example: " + e.getMessage(), TARGET_NODE);
        }
        return node.equals(self) ? Optional.empty() : Optional.of(node);
    }

    private static boolean hasTargetNode(HttpServletRequest request) {
        String header = request.getHeader(TARGET_NODE);
        return header != null && !header.isBlank();
    }

    private static Map<String, String> forwardedHeaders(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.putIfAbsent(name, request.getHeader(name));
            }
        }
        return headers;
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

    private static Decision authorize(EdgeContext current, AuthenticatedCaller caller,
            OperationDeclaration declaration) {
        Decision decision;
        try {
            decision = current.authorizer().authorize(caller, declaration);
        } catch (EdgeError e) {
            FLOWS.info("deny {} -> {}: {}", caller.describe(), declaration.operation(), e.getMessage());
            throw e;
        }
        FLOWS.debug("allow {} -> {}: {}", caller.describe(), declaration.operation(), decision.reason());
        return decision;
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
