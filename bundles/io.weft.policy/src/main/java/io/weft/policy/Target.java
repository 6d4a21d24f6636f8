package io.weft.policy;

/**
 * Target of a flow on its destination node: a service on a protocol and port, or an app
 * operation.
 */
public sealed interface Target permits ServiceTarget, AppOperation {

    /** Returns the service or the operation, without protocol and port. */
    Endpoint endpoint();
}
