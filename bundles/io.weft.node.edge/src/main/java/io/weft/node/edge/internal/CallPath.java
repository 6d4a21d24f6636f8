package io.weft.node.edge.internal;

import io.weft.policy.AppOperation;
import io.weft.policy.InvalidPolicyException;

/** Reads {@code /api/v1/apps/{app}/ops/{operation}}, the only path that the Edge API serves. */
final class CallPath {

    static final String PREFIX = "/api/v1/apps/";
    private static final String OPS = "/ops/";

    private CallPath() {
    }

    /**
     * Returns the operation that a request path names.
     *
     * @throws EdgeError with status 404 when the path has another form or an invalid name
     */
    static AppOperation parse(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            throw notFound(path);
        }
        String rest = path.substring(PREFIX.length());
        int ops = rest.indexOf(OPS);
        if (ops <= 0) {
            throw notFound(path);
        }
        try {
            return new AppOperation(rest.substring(0, ops), rest.substring(ops + OPS.length()));
        } catch (InvalidPolicyException e) {
            throw EdgeError.notFound("No operation at '" + path + "': " + e.getMessage());
        }
    }

    private static EdgeError notFound(String path) {
        return EdgeError.notFound("No resource at '" + path + "'. The Edge API serves"
                + " /api/v1/apps/{app}/ops/{operation}.");
    }
}
