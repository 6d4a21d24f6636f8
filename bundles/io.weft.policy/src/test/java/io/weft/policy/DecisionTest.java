package io.weft.policy;

import static io.weft.policy.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.Tag;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final DomainName ACME = DomainName.of("acme.example");
    private static final NodeSubject A = NodeSubject.edge("a.x.acme.example");
    private static final NodeSubject B = NodeSubject.edge("b.y.acme.example").withTags(Set.of(Tag.of("camera")));
    private static final Flow SSH_A_TO_B = new Flow(A, B, ServiceTarget.tcp("ssh", 22));

    @Test
    void defaultDenialNamesFlow() {
        Decision decision = Policy.empty().decide(SSH_A_TO_B);

        assertThat(decision.action()).isEqualTo(Action.DENY);
        assertThat(decision.rule()).isEmpty();
        assertThat(decision.reason())
                .isEqualTo("no rule allows node:a.x.acme.example to reach service ssh (tcp/22) on node:b.y.acme.example");
    }

    @Test
    void guardrailDenialNamesRuleAndDescription() {
        PolicyRule guardrail = PolicyRule.of("G3", ACME, Selector.parse("domain:acme.example"),
                Destination.parse("ssh on tag:camera"), Action.DENY).withGuardrail(true)
                .withDescription("no SSH into cameras");

        Decision decision = Policy.of(List.of(guardrail)).decide(SSH_A_TO_B);

        assertThat(decision.rule()).contains(new RuleRef("G3", ACME, true));
        assertThat(decision.reason()).isEqualTo("denied by guardrail G3 at acme.example: no SSH into cameras");
    }

    @Test
    void allowWithoutDescriptionNamesRule() {
        PolicyRule rule = PolicyRule.of("R1", ACME, Selector.parse("node:a.x.acme.example"),
                Destination.service("ssh"), Action.ALLOW);

        assertThat(Policy.of(List.of(rule)).decide(SSH_A_TO_B).reason()).isEqualTo("allowed by rule R1 at acme.example");
    }

    @Test
    void clientReachesOperation() {
        PolicyRule rule = PolicyRule.of("R1", DomainName.of("y.acme.example"), Selector.parse("client:ci"),
                Destination.operation("io.acme.camera/snapshot", Selector.parse("tag:camera")), Action.ALLOW);
        Policy policy = Policy.of(List.of(rule));

        Decision allowed = policy.decide(new Flow(ClientSubject.of("ci"), B, AppOperation.parse("io.acme.camera/snapshot")));
        Decision otherOperation = policy.decide(new Flow(ClientSubject.of("ci"), B, AppOperation.parse("io.acme.camera/reboot")));

        assertThat(allowed.isAllowed()).isTrue();
        assertThat(otherOperation.reason())
                .isEqualTo("no rule allows client:ci to reach io.acme.camera/reboot on node:b.y.acme.example");
    }

    @Test
    void ruleConcernsOnlyNodesInsideItsDomain() {
        PolicyRule rule = PolicyRule.of("R1", DomainName.of("y.acme.example"), Selector.parse("role:edge"),
                Destination.service("ssh"), Action.ALLOW);

        Decision fromOutside = Policy.of(List.of(rule)).decide(SSH_A_TO_B);

        assertThat(fromOutside.action()).isEqualTo(Action.DENY);
        assertThat(fromOutside.rule()).isEmpty();
    }

    @Test
    void protocolAndPortsRestrictMatch() {
        PolicyRule rule = PolicyRule.of("R1", ACME, Selector.parse("role:edge"), Destination.service("ssh"), Action.ALLOW)
                .withPorts(java.util.Optional.of(Protocol.TCP), List.of(new PortRange(20, 23)));
        Policy policy = Policy.of(List.of(rule));

        assertThat(policy.decide(new Flow(A, B, ServiceTarget.tcp("ssh", 23))).isAllowed()).isTrue();
        assertThat(policy.decide(new Flow(A, B, ServiceTarget.tcp("ssh", 24))).isAllowed()).isFalse();
        assertThat(policy.decide(new Flow(A, B, new ServiceTarget(ServiceName.of("ssh"), Protocol.UDP, 22)))
                .isAllowed()).isFalse();
    }

    @Test
    void dryRunListsChangedFlows() {
        PolicyRule allowSsh = PolicyRule.of("R1", ACME, Selector.parse("role:edge"), Destination.service("ssh"), Action.ALLOW);
        PolicyRule denyCameras = PolicyRule.of("R2", ACME, Selector.parse("role:edge"),
                Destination.parse("ssh on tag:camera"), Action.DENY);
        PolicyRule allowHttp = PolicyRule.of("R3", ACME, Selector.parse("role:edge"), Destination.service("http"), Action.ALLOW);
        Flow sshToCamera = SSH_A_TO_B;
        Flow sshToA = new Flow(B, A, ServiceTarget.tcp("ssh", 22));
        Flow httpToA = new Flow(B, A, ServiceTarget.tcp("http", 80));

        DryRun dryRun = DryRun.compare(Policy.of(List.of(allowSsh)), Policy.of(List.of(allowSsh, denyCameras, allowHttp)),
                List.of(sshToCamera, sshToA, httpToA));

        assertThat(dryRun.newlyDenied()).extracting(FlowChange::flow).containsExactly(sshToCamera);
        assertThat(dryRun.newlyDenied().get(0).after().rule().map(RuleRef::id)).contains("R2");
        assertThat(dryRun.newlyAllowed()).extracting(FlowChange::flow).containsExactly(httpToA);
        assertThat(dryRun.isEmpty()).isFalse();
    }

    @Test
    void dryRunOfSameDocumentIsEmpty() {
        RandomPolicies random = new RandomPolicies(3, 20);
        Policy policy = Policy.of(random.rules(30));

        assertThat(DryRun.compare(policy, policy, random.flows(200)).isEmpty()).isTrue();
    }

    @Test
    void compileRejectsDuplicateNode() {
        InvalidPolicyException rejected = rejection(() -> Policy.empty().compile(List.of(A, A)));

        assertThat(rejected.field()).isEqualTo("nodes");
        assertThat(rejected.reason()).isEqualTo("The node a.x.acme.example appears twice in the fleet. Send each node once.");
    }

    @Test
    void compiledPolicyRejectsUnknownNode() {
        CompiledPolicy compiled = Policy.empty().compile(List.of(A));

        assertThatThrownBy(() -> compiled.rulesFor(NodeFullName.parse("z.acme.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The node z.acme.example was not in the fleet that the policy was compiled for."
                        + " Compile again with the current fleet.");
    }
}
