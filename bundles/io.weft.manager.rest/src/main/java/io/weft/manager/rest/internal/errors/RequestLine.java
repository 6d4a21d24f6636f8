package io.weft.manager.rest.internal.errors;

import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.UriInfo;

/** The parts of the failed request that error messages quote. */
record RequestLine(String method, String path, String contentType) {

    static final String UNKNOWN = "unknown";

    /** Reads the request from the JAX-RS context objects, which are null outside a request. */
    static RequestLine of(Request request, UriInfo uri, HttpHeaders headers) {
        String method = request == null ? UNKNOWN : request.getMethod();
        String path = uri == null ? UNKNOWN : rawPath(uri);
        String contentType = headers == null ? null : headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return new RequestLine(method, path, contentType);
    }

    /**
     * Returns the request's path without its query. The request URI with its query cannot be
     * built when the query contains an invalid escape such as {@code %%%}, and this runs while
     * the error for it is mapped.
     */
    private static String rawPath(UriInfo uri) {
        try {
            return uri.getAbsolutePath().getRawPath();
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
