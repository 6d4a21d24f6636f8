package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.weft.app.api.Caller;
import io.weft.app.api.EdgeOperation;
import io.weft.fleet.NodeFullName;
import io.weft.policy.ClientSubject;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.policy.Policy;
import io.weft.policy.PolicyDocument;

class CallAuthorizerTest {

    private static final NodeSubject SELF = NodeSubject.edge("n1.edge.example");
    private static final OperationDeclaration GREET = OperationDeclaration.of(Map.of(
            EdgeOperation.PROPERTY_APP, "hello", EdgeOperation.PROPERTY_OPERATION, "greet",
            EdgeOperation.PROPERTY_ALLOW, new String[] {"client:ci", "domain:edge.example"}), false);
    private static final Policy POLICY = PolicyDocument.parse("""
            {"rules": [
              {"id": "A1", "domain": "edge.example", "source": "client:ci",
               "destination": {"operation": "hello/greet"}, "action": "allow"},
              {"id": "A2", "domain": "edge.example", "source": "client:other",
               "destination": {"operation": "hello/greet"}, "action": "allow"},
              {"id": "D1", "domain": "edge.example", "source": "node:n2.edge.example",
               "destination": {"operation": "hello/greet"}, "action": "deny", "description": "n2 is quarantined"}
            ]}""").policy();

    private final CallAuthorizer authorizer = new CallAuthorizer(POLICY, SELF);

    @Test
    void allowsWhenAppAndPolicyAllow() {
        assertThat(authorizer.authorize(client("ci", List.of("hello/*")), GREET).rule()).hasValueSatisfying(
                rule -> assertThat(rule.toString()).contains("A1"));
    }

    @Test
    void deniesTokenOutOfScope() {
        assertThatThrownBy(() -> authorizer.authorize(client("ci", List.of("hello/info")), GREET))
                .isInstanceOf(EdgeError.class).hasMessageContaining("not scoped to hello/greet");
    }

    @Test
    void deniesCallerThatAppDoesNotAllow() {
        assertThatThrownBy(() -> authorizer.authorize(client("other", List.of("hello/*")), GREET))
                .isInstanceOf(EdgeError.class)
                .hasMessageContaining("app 'hello' does not allow client:other")
                .hasMessageContaining("client:ci, domain:edge.example");
    }

    @Test
    void policyNarrowsAppDeclaration() {
        assertThatThrownBy(() -> authorizer.authorize(node("n2.edge.example"), GREET))
                .isInstanceOf(EdgeError.class)
                .hasMessageContaining("denied by")
                .hasMessageContaining("D1")
                .hasMessageContaining("n2 is quarantined");
    }

    @Test
    void defaultDenyNamesFlow() {
        assertThatThrownBy(() -> authorizer.authorize(node("n3.edge.example"), GREET))
                .isInstanceOf(EdgeError.class)
                .hasMessageContaining("no rule allows node:n3.edge.example to reach hello/greet on node:n1.edge.example")
                .extracting(error -> ((EdgeError) error).status()).isEqualTo(403);
    }

    @Test
    void forwardDefaultDenyNamesMissingRule() {
        NodeFullName destination = NodeFullName.parse("n2.edge.example");

        assertThatThrownBy(() -> authorizer.authorizeForward(client("third", List.of("hello/*")),
                GREET.operation(), destination))
                .isInstanceOf(EdgeError.class)
                .hasMessageContaining("This node 'n1.edge.example' has no rule that lets it forward the call")
                .hasMessageContaining("no rule allows client:third to reach hello/greet on node:n2.edge.example")
                .hasMessageContaining("Add node:n1.edge.example or domain:edge.example to the destination nodes");
    }

    @Test
    void forwardRuleDenialNamesRule() {
        NodeFullName destination = NodeFullName.parse("n2.edge.example");

        Policy denying = PolicyDocument.parse("""
                {"rules": [
                  {"id": "F1", "domain": "edge.example", "source": "client:ci",
                   "destination": {"operation": "hello/greet"}, "action": "deny"}
                ]}""").policy();
        CallAuthorizer forwarder = new CallAuthorizer(denying, SELF);

        assertThatThrownBy(() -> forwarder.authorizeForward(client("ci", List.of("hello/*")), GREET.operation(),
                destination))
                .isInstanceOf(EdgeError.class)
                .hasMessageContaining("denies the call before forwarding it to node 'n2.edge.example'")
                .hasMessageContaining("F1");
    }

    @Test
    void truncatedDirectoryDeniesUnlistedNode() {
        Policy byTag = PolicyDocument.parse("""
                {"rules": [
                  {"id": "E1", "domain": "edge.example", "source": "domain:edge.example",
                   "destination": {"operation": "hello/greet"}, "action": "allow"},
                  {"id": "Q1", "domain": "edge.example", "source": "tag:quarantine",
                   "destination": {"operation": "hello/greet"}, "action": "deny"}
                ]}""").policy();
        CallAuthorizer truncated = new CallAuthorizer(byTag, SELF, PeerDirectory.of(List.of(SELF), false));
        CallAuthorizer complete = new CallAuthorizer(byTag, SELF, PeerDirectory.of(List.of(SELF), true));

        assertThatThrownBy(() -> truncated.authorize(node("n5.edge.example"), GREET))
                .isInstanceOf(EdgeError.class)
                .hasMessageContaining("Q1")
                .hasMessageContaining("truncated peer directory");
        assertThat(complete.authorize(node("n5.edge.example"), GREET).rule()).hasValueSatisfying(
                rule -> assertThat(rule.id()).isEqualTo("E1"));
    }

    @Test
    void declarationWithoutSelectorsAllowsNobody() {
        OperationDeclaration closed = OperationDeclaration.of(Map.of(EdgeOperation.PROPERTY_APP, "hello",
                EdgeOperation.PROPERTY_OPERATION, "greet"), false);

        assertThatThrownBy(() -> authorizer.authorize(client("ci", List.of("hello/*")), closed))
                .isInstanceOf(EdgeError.class).hasMessageContaining("it allows no caller");
    }

    private static AuthenticatedCaller client(String name, List<String> scopes) {
        ApiToken token = new ApiToken("t1", name, scopes, Instant.now().plusSeconds(60));
        return new AuthenticatedCaller(new Caller(Caller.Kind.CLIENT, name), ClientSubject.of(name),
                Optional.of(token));
    }

    private static AuthenticatedCaller node(String fullName) {
        return new AuthenticatedCaller(new Caller(Caller.Kind.NODE, fullName), NodeSubject.edge(fullName),
                Optional.empty());
    }
}
