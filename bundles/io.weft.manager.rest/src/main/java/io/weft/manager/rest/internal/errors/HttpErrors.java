package io.weft.manager.rest.internal.errors;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import io.weft.manager.rest.internal.resources.RequestBodyTypes;

/**
 * Translates the JAX-RS runtime's own status exceptions, such as 404 for an unknown path or
 * 405 for a method that a path does not serve, into API errors.
 */
final class HttpErrors {

    /**
     * Headers of a status exception's response that the error response keeps: the challenges
     * of a 401 and the wait of a 429 or 503.
     */
    private static final List<String> KEPT_HEADERS = List.of(HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.RETRY_AFTER);

    /** Prefix of the default message of every JAX-RS status exception, such as "HTTP 404 Not Found". */
    private static final String DEFAULT_MESSAGE_PREFIX = "HTTP ";

    private static final Map<Integer, ErrorCode> CODES = Map.ofEntries(
            Map.entry(400, ErrorCode.BAD_REQUEST),
            Map.entry(401, ErrorCode.UNAUTHORIZED),
            Map.entry(403, ErrorCode.FORBIDDEN),
            Map.entry(404, ErrorCode.NOT_FOUND),
            Map.entry(405, ErrorCode.METHOD_NOT_ALLOWED),
            Map.entry(406, ErrorCode.NOT_ACCEPTABLE),
            Map.entry(409, ErrorCode.CONFLICT),
            Map.entry(410, ErrorCode.GONE),
            Map.entry(412, ErrorCode.PRECONDITION_FAILED),
            Map.entry(413, ErrorCode.BODY_TOO_LARGE),
            Map.entry(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
            Map.entry(428, ErrorCode.PRECONDITION_REQUIRED),
            Map.entry(429, ErrorCode.TOO_MANY_REQUESTS),
            Map.entry(503, ErrorCode.SERVICE_UNAVAILABLE));

    private HttpErrors() {
    }

    /** Returns the error for a status exception other than 500, which is an internal error. */
    static ApiError of(WebApplicationException e, RequestLine request) {
        Response response = e.getResponse();
        int status = response.getStatus();
        ErrorCode code = CODES.getOrDefault(status, ErrorCode.CLIENT_ERROR);

        switch (status) {
            case 404:
                return ApiError.of(code, messageOr(e, "no resource at " + request.path()), null);
            case 405:
                return methodNotAllowed(response, request);
            case 406:
                return ApiError.of(code, "this API only produces " + MediaType.APPLICATION_JSON
                        + "; accept it in the Accept header", HttpHeaders.ACCEPT);
            case 415:
                return unsupportedMediaType(request);
            default:
                String reason = response.getStatusInfo().getReasonPhrase();
                String fallback = reason == null || reason.isBlank()
                        ? "the request was rejected with status " + status
                        : reason;
                return new ApiError(status, code, messageOr(e, fallback), null, keptHeaders(response));
        }
    }

    /** Copies {@link #KEPT_HEADERS}; several values of one header, such as two challenges, are joined by commas. */
    private static Map<String, String> keptHeaders(Response response) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : KEPT_HEADERS) {
            List<String> values = response.getStringHeaders().get(name);
            if (values != null && !values.isEmpty()) {
                headers.put(name, String.join(", ", values));
            }
        }
        return headers;
    }

    /**
     * Returns the 415 error that names the media types which the OpenAPI document lists for the
     * request body of the operation, JSON for paths that the document does not describe.
     */
    private static ApiError unsupportedMediaType(RequestLine request) {
        List<String> expected = RequestBodyTypes.documented().forOperation(request.method(), request.path())
                .orElse(List.of(MediaType.APPLICATION_JSON));
        String sent = request.contentType() == null ? "(none)" : request.contentType();
        return ApiError.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + sent + " is not supported by "
                + request.method() + " " + request.path() + "; send " + String.join(" or ", expected),
                HttpHeaders.CONTENT_TYPE);
    }

    private static ApiError methodNotAllowed(Response response, RequestLine request) {
        Set<String> allowed = new TreeSet<>(response.getAllowedMethods());
        String message = "method " + request.method() + " is not allowed on " + request.path()
                + (allowed.isEmpty() ? "" : "; allowed methods are " + String.join(", ", allowed));
        Map<String, String> headers = allowed.isEmpty() ? Map.of()
                : Map.of(HttpHeaders.ALLOW, String.join(", ", allowed));
        return new ApiError(405, ErrorCode.METHOD_NOT_ALLOWED, message, null, headers);
    }

    /** Keeps a message that Weft code wrote, and replaces the runtime's default "HTTP 404 Not Found". */
    private static String messageOr(WebApplicationException e, String fallback) {
        String message = e.getMessage();
        if (message == null || message.isBlank() || message.startsWith(DEFAULT_MESSAGE_PREFIX)) {
            return fallback;
        }
        return message;
    }
}
