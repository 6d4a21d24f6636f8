package io.weft.node.edge.internal;

import java.util.Objects;
import java.util.stream.Collectors;

import io.weft.policy.Decision;
import io.weft.policy.Flow;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.policy.Policy;

/**
 * Decides whether a caller may call an operation on this node. Three checks must all allow:
 * the scopes of an API client's token, the callers that the app declares, and the node's
 * policy rules, which can narrow what the app allows and never widen it. Immutable.
 *
 * <p>A node caller and this node carry the role, tags and cluster of the applied state's
 * peer directory, which the manager signed.
 */
final class CallAuthorizer {

    private final Policy policy;
    private final NodeSubject self;
    private final PeerDirectory peers;

    CallAuthorizer(Policy policy, NodeSubject self) {
        this(policy, self, PeerDirectory.empty());
    }

    /** @param peers the applied state's peer directory, from which {@code self} and node callers come */
    CallAuthorizer(Policy policy, NodeSubject self, PeerDirectory peers) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.self = Objects.requireNonNull(self, "self");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    /**
     * Returns the policy decision of an allowed call, for the flow record.
     *
     * @throws EdgeError with status 403 and the reason, naming the deciding rule for a policy denial
     */
    Decision authorize(AuthenticatedCaller caller, OperationDeclaration declaration) {
        caller.token().ifPresent(token -> {
            if (!token.permits(declaration.operation())) {
                throw EdgeError.forbidden("The API token " + token.id() + " of client '" + token.client()
                        + "' is not scoped to " + declaration.operation() + "; its scopes are " + token.scopes()
                        + ". Ask the manager for a token with this operation in its scopes.");
            }
        });
        if (!declaration.allows(caller.subject())) {
            throw EdgeError.forbidden("The app '" + declaration.operation().app() + "' does not allow "
                    + caller.subject() + " to call " + declaration.operation() + "; it allows "
                    + describe(declaration) + ".");
        }
        Decision decision = policy.decide(new Flow(caller.subject(), self, declaration.operation()), peers);
        if (!decision.isAllowed()) {
            throw EdgeError.forbidden("The policy denies the call: " + decision.reason() + ".");
        }
        return decision;
    }

    private static String describe(OperationDeclaration declaration) {
        if (declaration.allow().isEmpty()) {
            return "no caller";
        }
        return declaration.allow().stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
