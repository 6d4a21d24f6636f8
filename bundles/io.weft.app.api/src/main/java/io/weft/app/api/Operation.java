package io.weft.app.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Request/response operation of an edge app, registered as an OSGi service with the
 * properties of {@link EdgeOperation}. The Edge API calls it on one of its threads once per
 * authorized call and writes the result as JSON.
 *
 * <p>When the call passes its {@link OperationRequest#deadline()}, the caller gets 504 and the
 * thread is interrupted, so a long computation should check {@link Thread#interrupted()} or
 * use interruptible blocking calls. Implementations must be thread-safe.
 */
@ConsumerType
@FunctionalInterface
public interface Operation {

    /**
     * Runs the operation.
     *
     * @throws OperationException to respond with its status, code and message. Any other
     *                            exception gets 500 without its message, which is logged
     */
    OperationResult call(OperationRequest request) throws OperationException;
}
