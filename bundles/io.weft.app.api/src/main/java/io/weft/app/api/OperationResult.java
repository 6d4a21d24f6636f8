package io.weft.app.api;

/**
 * Response of an {@link Operation}: an HTTP status and a JSON body.
 *
 * <p>The body is a JSON value built from plain Java types: a {@code Map} with String keys, a
 * {@code List}, a String, Number or Boolean, nested freely, or null for no body. The Edge API
 * writes it with {@code Content-Type: application/json}.
 */
public final class OperationResult {

    private final int status;
    private final Object body;

    private OperationResult(int status, Object body) {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("Invalid status " + status + ": a result has a 2xx status;"
                    + " throw OperationException for an error");
        }
        this.status = status;
        this.body = body;
    }

    /** Returns 200 with {@code body}. */
    public static OperationResult ok(Object body) {
        return new OperationResult(200, body);
    }

    /**
     * Returns a successful result with another 2xx status, such as 201 or 202.
     *
     * @throws IllegalArgumentException when the status is not between 200 and 299
     */
    public static OperationResult of(int status, Object body) {
        return new OperationResult(status, body);
    }

    /** Returns 204 without a body. */
    public static OperationResult noContent() {
        return new OperationResult(204, null);
    }

    public int status() {
        return status;
    }

    /** Returns the JSON value of the body, null for none. */
    public Object body() {
        return body;
    }
}
