package io.weft.node.edge.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.weft.policy.AppOperation;

/**
 * Verified claims of an API client token that the manager issued.
 *
 * @param id        the token's id, for logs
 * @param client    the API client's name, matched by {@code client:<name>} selectors
 * @param scopes    {@code app/operation} or {@code app/*} entries naming what the token may call
 * @param expiresAt the end of the token's validity
 */
record ApiToken(String id, String client, List<String> scopes, Instant expiresAt) {

    ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(client, "client");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Returns true when a scope names the operation or every operation of its app. */
    boolean permits(AppOperation operation) {
        return scopes.contains(operation.toString()) || scopes.contains(operation.app() + "/*");
    }
}
