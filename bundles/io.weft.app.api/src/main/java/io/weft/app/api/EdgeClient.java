package io.weft.app.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Calls an operation of another app, on this node or on the nearest node that runs it, as an
 * OSGi service that the node provides to apps.
 *
 * <p>The call goes through this node's Edge API like any other call, so the same checks apply.
 * The caller is this node, {@code node:<full name>}: the app that is called and the policy
 * rules of both nodes must allow it. When this node does not run the app, its Edge API
 * forwards the call over the mesh to the nearest node that does, and tries the next one when a
 * node cannot be reached before the call was sent.
 *
 * <p>A body is a JSON value built from plain Java types, as for {@link OperationResult}.
 */
@ProviderType
public interface EdgeClient {

    /** Deadline of a call that sets none. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Calls {@code app}'s {@code operation} with {@code body} (null for none) and returns its result.
     *
     * @param timeout the longest wait for the result; the called node applies its own deadline too
     * @throws OperationException with the status, code and message of the error response, such as
     *                            403 when a policy denies the call or 502 when no node that runs the
     *                            app could be reached; 504 {@code timeout} when the result did not
     *                            arrive within {@code timeout}
     */
    OperationResult call(String app, String operation, Object body, Duration timeout) throws OperationException;

    /** Calls an operation with the {@link #DEFAULT_TIMEOUT}. */
    default OperationResult call(String app, String operation, Object body) throws OperationException {
        return call(app, operation, body, DEFAULT_TIMEOUT);
    }
}
