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
 */
record AuthenticatedCaller(Caller caller, Subject subject, Optional<ApiToken> token) {

    AuthenticatedCaller {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(token, "token");
    }
}
