package io.weft.node.edge.internal;

import java.util.Objects;

import javax.net.ssl.SSLContext;

import io.weft.fleet.NodeFullName;

/**
 * The parts of a call's checks and forwarding that depend on the node's identity and applied
 * state, swapped whole when either changes.
 *
 * @param self      this node's full name
 * @param relayTls  the TLS context with this node's certificate for forwarded calls
 */
record EdgeContext(CallerAuthenticator authenticator, CallAuthorizer authorizer, NodeFullName self,
        SSLContext relayTls) {

    EdgeContext {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(relayTls, "relayTls");
    }
}
