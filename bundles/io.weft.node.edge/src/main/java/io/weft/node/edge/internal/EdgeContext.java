package io.weft.node.edge.internal;

import java.util.Objects;

/**
 * The parts of a call's checks that depend on the node's identity and applied state, swapped
 * whole when either changes.
 */
record EdgeContext(CallerAuthenticator authenticator, CallAuthorizer authorizer) {

    EdgeContext {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(authorizer, "authorizer");
    }
}
