package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLSocket;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.fleet.NodeFullName;
import io.weft.policy.Decision;

/**
 * Forwards a call to the nearest node that runs its app and relays the response, server-sent
 * events included, as it arrives.
 *
 * <p>The nodes are tried in the order given. A node is skipped when this node's policy denies
 * the flow to it, and the next one is tried when the connection fails before anything of the
 * call was sent, or when the node responds with 404 or 503 and {@value #NOT_EXECUTED}, which it sends
 * only for a call that it rejected before running the operation. A call that may have run is
 * never sent twice: a failure after the request went out ends the call with 502.
 *
 * <p>NOTE: each forwarded call opens a new mesh stream and TLS session, with no reuse, and occupies
 * a thread of the HTTPS listener until the response ends. Forwarded calls count against neither
 * workerThreads nor maxStreams, so only the listener's thread pool bounds them.
 */
final class CallForwarder {

    /** Response header of an error that the Edge API sent before the operation ran. */
    static final String NOT_EXECUTED = "Weft-Not-Executed";
    /** Response header that names the node that served a forwarded call. */
    static final String SERVED_BY = "Weft-Served-By";
    /** Response headers of the other node that reach the caller. */
    static final List<String> RELAYED_HEADERS = List.of("Content-Type", "Cache-Control", "Retry-After", "Allow",
            "WWW-Authenticate");

    private static final Logger LOG = LoggerFactory.getLogger(CallForwarder.class);
    private static final Logger FLOWS = LoggerFactory.getLogger("io.weft.node.edge.flows");
    private static final int BUFFER_BYTES = 8 * 1024;

    private final RemoteEdgeApi remote;
    private final int readTimeoutMillis;

    /** @param readTimeoutMillis the maximum wait for bytes of a response, at least a stream's heartbeat period */
    CallForwarder(RemoteEdgeApi remote, int readTimeoutMillis) {
        this.remote = remote;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /**
     * Sends {@code call} to the first of {@code nodes} that takes it and writes its response.
     *
     * @throws EdgeError 403 when this node's policy denies the flow to every node, 502 when no node took the call
     */
    void forward(EdgeContext context, ForwardedCall call, List<NodeFullName> nodes, HttpServletResponse response,
            CallFlow flow) throws IOException {
        List<String> failures = new ArrayList<>();
        EdgeError denial = null;
        NodeFullName deniedNode = null;
        for (NodeFullName node : nodes) {
            Decision decision;
            try {
                decision = context.authorizer().authorizeForward(call.caller(), call.operation(), node);
            } catch (EdgeError e) {
                FLOWS.info("deny {} -> {} on {} at the source: {}", call.caller().describe(), call.operation(), node,
                        e.getMessage());
                if (denial == null) {
                    denial = e;
                    deniedNode = node;
                }
                continue;
            }
            FLOWS.debug("forward {} -> {} to {}: {}", call.caller().describe(), call.operation(), node,
                    decision.reason());
            flow.forwarded(node, decision);
            if (tryNode(context, call, node, response, failures, flow)) {
                return;
            }
        }
        if (failures.isEmpty() && denial != null) {
            // The flow record names the first node that this node's policy denied.
            flow.forwardingTo(deniedNode);
            throw denial;
        }
        throw new EdgeError(502, "unreachable", "No node that runs app '" + call.operation().app()
                + "' took the call: " + String.join("; ", failures) + ".", null);
    }

    /** Returns true once the node's response was relayed, false when the next node may take the call. */
    private boolean tryNode(EdgeContext context, ForwardedCall call, NodeFullName node, HttpServletResponse response,
            List<String> failures, CallFlow flow) throws IOException {
        SSLSocket socket;
        try {
            socket = remote.connect(node, context.relayTls(), readTimeoutMillis);
        } catch (RemoteEdgeApi.NotSentException e) {
            LOG.info("Edge API: forwarding {} to {} failed before sending, trying the next node: {}",
                    call.operation(), node, e.getMessage());
            failures.add(node + ": " + e.getMessage());
            return false;
        }
        try (RelayedResponse relayed = exchange(socket, call, node)) {
            if (isRefusedBeforeRunning(relayed)) {
                LOG.info("Edge API: {} refused {} with {} before running it, trying the next node", node,
                        call.operation(), relayed.status());
                failures.add(node + ": status " + relayed.status() + " before running the operation");
                return false;
            }
            try {
                relay(relayed, node, response);
            } finally {
                flow.finish(relayed.status());
            }
            return true;
        }
    }

    private static boolean isRefusedBeforeRunning(RelayedResponse relayed) {
        return (relayed.status() == 404 || relayed.status() == 503)
                && "true".equalsIgnoreCase(relayed.header(NOT_EXECUTED));
    }

    /**
     * Sends the request and reads the response's headers.
     *
     * @throws EdgeError 502 when the exchange fails, because the call may have run by then
     */
    private static RelayedResponse exchange(SSLSocket socket, ForwardedCall call, NodeFullName node) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(call.method(), call.pathAndQuery(), node, call.headers(), call.authorization(),
                    call.body().length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(call.body());
            out.flush();
            return RelayedResponse.read(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            LOG.warn("Edge API: forwarding {} to {} failed after sending it, so it is not retried: {}",
                    call.operation(), node, e.toString());
            throw new EdgeError(502, "relay_failed", "Reading the response of node '" + node + "' failed, and the"
                    + " call may have run there: " + e.getMessage(), null);
        }
    }

    /** Returns the request line and headers of an HTTP/1.1 request that carries one exchange on its connection. */
    static String requestHead(String method, String pathAndQuery, NodeFullName node, Map<String, String> headers,
            String authorization, int bodyLength) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(node).append("\r\n");
        head.append("Connection: close\r\n");
        head.append("Content-Length: ").append(bodyLength).append("\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Writes the status, the relayed headers and the body, flushing each read of an event stream. */
    private static void relay(RelayedResponse relayed, NodeFullName node, HttpServletResponse response)
            throws IOException {
        response.setStatus(relayed.status());
        for (String name : RELAYED_HEADERS) {
            String value = relayed.header(name);
            if (value != null) {
                response.setHeader(name, value);
            }
        }
        response.setHeader(SERVED_BY, node.toString());
        String type = relayed.header("Content-Type");
        boolean events = type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        OutputStream out = response.getOutputStream();
        if (events) {
            out.flush();
        }
        InputStream in = relayed.body();
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            out.write(buffer, 0, read);
            if (events) {
                out.flush();
            }
        }
        // Sends the last buffered bytes now, so the flow record counts them.
        out.flush();
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Edge API: closing a relay connection failed: {}", e.getMessage());
        }
    }
}
