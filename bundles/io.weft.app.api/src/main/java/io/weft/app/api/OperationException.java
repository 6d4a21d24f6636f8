package io.weft.app.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Error that an operation returns to its caller, as the JSON body
 * {@code {"error": code, "message": message, "field": field}} with an HTTP status of 4xx or 5xx.
 * The message reaches the caller, so it must name the invalid value and the fix and must not
 * contain secrets.
 */
public class OperationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    /**
     * @param status the HTTP status, 400 to 599
     * @param code   a stable, lower-case error code such as {@code invalid_name}
     * @param field  the request field that is wrong, or null
     * @throws IllegalArgumentException when the status is not an error status
     */
    public OperationException(int status, String code, String message, String field) {
        super(Objects.requireNonNull(message, "message"));
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("Invalid status " + status + ": an error status is 400 to 599");
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** Returns a 400 error for an invalid value of {@code field}, with the code {@code invalid_request}. */
    public static OperationException badRequest(String field, String message) {
        return new OperationException(400, "invalid_request", message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Returns the request field that is wrong, empty when the error concerns no single field. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
