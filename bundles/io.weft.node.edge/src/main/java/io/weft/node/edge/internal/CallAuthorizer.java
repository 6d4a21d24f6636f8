package io.weft.node.edge.internal;

import java.util.Objects;
import java.util.stream.Collectors;

import io.weft.fleet.NodeFullName;
import io.weft.policy.AppOperation;

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
        caller.token().ifPresent(token -> requireScope(token, declaration.operation()));
        if (!declaration.allows(caller.subject())) {
            throw EdgeError.forbidden("The app '" + declaration.operation().app() + "' does not allow "
                    + caller.subject() + " to call " + declaration.operation() + "; it allows "
                    + describe(declaration) + ".");
        }
        Decision decision = policy.decide(new Flow(caller.subject(), self, declaration.operation()), peers);
        if (!decision.isAllowed()) {
            throw denial("The policy denies the call: " + decision.reason() + ".", decision);
        }
        return decision;
    }

    /**
     * Checks at this node, before forwarding, that the caller may call an operation on node
     * {@code destination}: the token's scopes and this node's policy rules. The app's
     * declaration is checked by the destination, which runs the app.
     *
     * <p>Only an API client's call, or a call by this node itself, is forwarded, and only once.
     * Another node's call would reach the destination with this node's certificate and so with
     * this node's rights.
     *
     * @return the policy decision, for the flow record
     * @throws EdgeError with status 403 and the reason
     */
    Decision authorizeForward(AuthenticatedCaller caller, AppOperation operation, NodeFullName destination) {
        if (caller.relay().isPresent()) {
            throw EdgeError.forbidden("Node '" + caller.relay().get() + "' forwarded this call of " + caller.caller()
                    + ", and a call is forwarded only once, so that calls cannot loop between nodes.");
        }
        boolean self = caller.subject() instanceof NodeSubject node && node.name().equals(this.self.name());
        if (caller.token().isEmpty() && !self) {
            throw EdgeError.forbidden(caller.caller() + " calls " + operation + ", which this node does not run, and"
                    + " this node forwards only calls of API clients and of its own apps. Call the node that runs"
                    + " the app.");
        }
        caller.token().ifPresent(token -> requireScope(token, operation));
        NodeSubject target = peers.subjectOf(destination);
        Decision decision = policy.decide(new Flow(caller.subject(), target, operation), peers);
        if (decision.rule().isEmpty()) {
            throw EdgeError.forbidden(noForwardingRule(destination, decision));
        }
        if (!decision.isAllowed()) {
            throw denial("The policy of this node denies the call before forwarding it to node '" + destination
                    + "': " + decision.reason() + ".", decision);
        }
        return decision;
    }

    /**
     * Explains a default denial at the forwarding node. A node receives only the rules that name
     * it as a source or among their destination nodes, so a rule that allows the call at the
     * destination often never reached this node.
     */
    private String noForwardingRule(NodeFullName destination, Decision decision) {
        NodeFullName name = this.self.name();
        return "This node '" + name + "' has no rule that lets it forward the call to node '" + destination
                + "' (" + decision.reason() + " here). A node receives only the rules that name it as a source or"
                + " among their destination nodes. Add node:" + name + " or domain:" + name.domain()
                + " to the destination nodes of the rule that allows the call, or call node '" + destination
                + "' directly.";
    }

    /** Returns a 403 that names the deciding rule, when one decided, for the flow record. */
    private static EdgeError denial(String message, Decision decision) {
        return decision.rule().map(rule -> EdgeError.deniedByRule(message, rule.id()))
                .orElseGet(() -> EdgeError.forbidden(message));
    }

    private static void requireScope(ApiToken token, AppOperation operation) {
        if (!token.permits(operation)) {
            throw EdgeError.forbidden("The API token " + token.id() + " of client '" + token.client()
                    + "' is not scoped to " + operation + "; its scopes are " + token.scopes()
                    + ". Ask the manager for a token with this operation in its scopes.");
        }
    }

    private static String describe(OperationDeclaration declaration) {
        if (declaration.allow().isEmpty()) {
            return "no caller";
        }
        return declaration.allow().stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
