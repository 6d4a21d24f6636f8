package io.weft.node.edge.internal;

import java.util.Objects;

import io.weft.app.api.Operation;
import io.weft.app.api.StreamingOperation;

/**
 * Operation service with its declaration: exactly one of {@code operation} and {@code streaming} is set.
 *
 * @param serviceId the OSGi service id, so that the removal of one service cannot remove another
 */
record RegisteredOperation(OperationDeclaration declaration, Operation operation, StreamingOperation streaming,
        long serviceId) {

    RegisteredOperation {
        Objects.requireNonNull(declaration, "declaration");
        if ((operation == null) == (streaming == null)) {
            throw new IllegalArgumentException("Exactly one of operation and streaming must be set for "
                    + declaration.operation());
        }
    }
}
