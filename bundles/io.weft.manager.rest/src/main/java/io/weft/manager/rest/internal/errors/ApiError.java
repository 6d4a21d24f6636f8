package io.weft.manager.rest.internal.errors;

import java.util.Map;
import java.util.Objects;

/**
 * One error response: status, code, message, the field it concerns (or null) and extra headers
 * such as {@code Allow} or {@code ETag}.
 */
record ApiError(int status, ErrorCode code, String message, String field, Map<String, String> headers) {

    ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        headers = Map.copyOf(headers);
    }

    /** Creates an error with the code's own status and no extra header. */
    static ApiError of(ErrorCode code, String message, String field) {
        return new ApiError(code.status(), code, message, field, Map.of());
    }
}
