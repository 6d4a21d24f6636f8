package io.weft.node.edge.internal;

import java.util.Map;
import java.util.Objects;

import io.weft.policy.AppOperation;

/**
 * A call that this node forwards to another node's Edge API.
 *
 * @param operation     the app operation
 * @param method        {@code GET} or {@code POST}
 * @param pathAndQuery  the request target, path and query string as the caller sent them
 * @param headers       the caller's end-to-end headers, without {@code Authorization}
 * @param authorization the caller's bearer token header, which the other node verifies itself; null for this node
 * @param body          the request body, within this node's size limit
 * @param caller        the authenticated caller, for the policy check at this end and the flow record
 */
record ForwardedCall(AppOperation operation, String method, String pathAndQuery, Map<String, String> headers,
        String authorization, byte[] body, AuthenticatedCaller caller) {

    ForwardedCall {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(caller, "caller");
    }
}
