package io.weft.manager.rest.api;

/**
 * Rejects an update whose {@code If-Match} matches no current version, for example
 * {@code If-Match: *} on a resource that does not exist yet, or a list of weak ETags. The API
 * responds with 412, error code {@code precondition_failed} and field {@code If-Match}.
 */
public class PreconditionFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String message) {
        super(message);
    }
}
