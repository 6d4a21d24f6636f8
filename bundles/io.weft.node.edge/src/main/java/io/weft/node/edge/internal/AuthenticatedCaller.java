package io.weft.node.edge.internal;

import java.util.Objects;
import java.util.Optional;

import io.weft.app.api.Caller;
import io.weft.policy.Subject;

/**
 * Caller of one Edge API request after authentication.
 *
 * @param caller  the identity that the app receives
 * @param subject the same identity as the policy engine's flow source
 * @param token   the verified token of an API client, empty for a node
 * @param relay   the full name of the node that forwarded an API client's call, from its TLS
 *                client certificate. It is empty for a call that the caller sent itself.
 */
record AuthenticatedCaller(Caller caller, Subject subject, Optional<ApiToken> token, Optional<String> relay) {

    AuthenticatedCaller {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(relay, "relay");
    }

    AuthenticatedCaller(Caller caller, Subject subject, Optional<ApiToken> token) {
        this(caller, subject, token, Optional.empty());
    }

    /** Returns the same caller, forwarded by node {@code relayNode}. */
    AuthenticatedCaller relayedBy(String relayNode) {
        return new AuthenticatedCaller(caller, subject, token, Optional.of(relayNode));
    }

    /** Returns the caller for flow records: {@code client:ci}, or {@code client:ci via node:a.x.example}. */
    String describe() {
        return relay.map(node -> caller + " via node:" + node).orElse(caller.toString());
    }
}
