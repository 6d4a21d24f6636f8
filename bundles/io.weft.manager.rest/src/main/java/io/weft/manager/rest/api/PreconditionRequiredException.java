package io.weft.manager.rest.api;

/**
 * Rejects an update that has no {@code If-Match} header. The API responds with 428, error code
 * {@code precondition_required} and field {@code If-Match}.
 */
public class PreconditionRequiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PreconditionRequiredException() {
        super("this update requires an If-Match header with the ETag of the resource, such as If-Match: \"3\"");
    }
}
