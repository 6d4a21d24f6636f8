package io.weft.manager.rest.internal.errors;

import java.util.Locale;

/**
 * Every value of the {@code error} field of the API's error body, with its HTTP status. The
 * OpenAPI document lists the same values, and a unit test compares the two.
 */
public enum ErrorCode {

    /** The body is not JSON, or has content after the first JSON value. */
    MALFORMED_JSON(400),
    /** The body is JSON but nested deeper or longer than the API reads. */
    JSON_LIMIT_EXCEEDED(400),
    /** The request needs a body and has none. */
    MISSING_BODY(400),
    /** The body has a field that the request type does not define. */
    UNKNOWN_FIELD(400),
    /** A field or the whole body has the wrong JSON type, such as a string for a number. */
    INVALID_TYPE(400),
    /** A field has the right type but breaks a rule of the API. */
    INVALID_FIELD(400),
    /** Any other malformed request. */
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    GONE(410),
    /** A precondition failed: If-Match matches no current version, such as * on a missing resource. */
    PRECONDITION_FAILED(412),
    /** An update names an older version in If-Match than the stored one. */
    STALE_VERSION(412),
    BODY_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    PRECONDITION_REQUIRED(428),
    TOO_MANY_REQUESTS(429),
    /** A 4xx status without a code of its own. */
    CLIENT_ERROR(400),
    SERVICE_UNAVAILABLE(503),
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** Returns the status that this code goes with; {@link #CLIENT_ERROR} can also go with other 4xx statuses. */
    public int status() {
        return status;
    }

    /** Returns the code as it appears in the error body, such as {@code malformed_json}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
