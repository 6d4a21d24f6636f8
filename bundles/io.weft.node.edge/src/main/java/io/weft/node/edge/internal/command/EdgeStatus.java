package io.weft.node.edge.internal.command;

import java.util.List;

/** The operations that the Edge API serves at the time of the call, for the shell command. */
public interface EdgeStatus {

    /**
     * One served operation with what its app declares.
     *
     * @param operation     {@code app/operation}
     * @param safe          whether {@code GET} is allowed
     * @param streaming     whether it responds with server-sent events
     * @param timeoutMillis the app's own deadline in milliseconds, 0 for the node's default
     * @param allow         the selectors of the callers that the app allows
     * @param serviceId     the OSGi service id of the operation
     */
    record OperationStatus(String operation, boolean safe, boolean streaming, long timeoutMillis, List<String> allow,
            long serviceId) {
    }

    /** Returns the served operations, sorted by app and operation name. */
    List<OperationStatus> operations();
}
