package io.weft.manager.rest.internal.body;

import java.io.IOException;

/**
 * Signals a request body above the configured maximum. It is an {@link IOException} so that it
 * passes through Jackson and the JAX-RS runtime unwrapped when the entity stream throws it.
 */
public class RequestBodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long maxBytes;

    public RequestBodyTooLargeException(long maxBytes) {
        super("the request body is larger than the maximum of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /** Signals a body whose {@code Content-Length} is larger than the maximum, before any byte of it is read. */
    public RequestBodyTooLargeException(long declaredBytes, long maxBytes) {
        super("the request body of " + declaredBytes + " bytes (Content-Length) is larger than the maximum of "
                + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
