package io.weft.node.edge.internal;

import java.util.Objects;

/**
 * Error response of the Edge API, written as {@code {"error": code, "message": text, "field": name}},
 * the error shape of the manager's REST API. The message reaches the caller, so it names the
 * value and the fix and never contains a secret.
 */
final class EdgeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final String rule;

    EdgeError(int status, String code, String message, String field) {
        this(status, code, message, field, null);
    }

    private EdgeError(int status, String code, String message, String field, String rule) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
        this.rule = rule;
    }

    static EdgeError badRequest(String code, String message, String field) {
        return new EdgeError(400, code, message, field);
    }

    static EdgeError unauthorized(String message) {
        return new EdgeError(401, "unauthorized", message, null);
    }

    static EdgeError forbidden(String message) {
        return new EdgeError(403, "forbidden", message, null);
    }

    /** Returns a 403 for a call that a policy rule denied, with the rule's id for the flow record. */
    static EdgeError deniedByRule(String message, String rule) {
        return new EdgeError(403, "forbidden", message, null, Objects.requireNonNull(rule, "rule"));
    }

    static EdgeError notFound(String message) {
        return new EdgeError(404, "not_found", message, null);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Returns the id of the policy rule that denied the call, or null when no rule decided. */
    String rule() {
        return rule;
    }

    /** Returns the request field that is wrong, or null. */
    String field() {
        return field;
    }
}
