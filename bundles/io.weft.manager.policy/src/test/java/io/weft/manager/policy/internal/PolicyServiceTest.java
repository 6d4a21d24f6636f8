package io.weft.manager.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.ForbiddenException;
import javax.ws.rs.NotFoundException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.fleet.NodeFullName;
import io.weft.manager.access.Role;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.policy.api.NodePolicies;
import io.weft.manager.policy.internal.PolicyDtos.DryRunDto;
import io.weft.manager.policy.internal.PolicyDtos.ExplanationDto;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.PreconditionRequiredException;
import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoredFlow;
import io.weft.policy.NodeSubject;

/** The policy service on a real Derby store: changes, scopes, policy tests, explain, dry-run and compile. */
class PolicyServiceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TestCaller ADMIN = TestCaller.fleetWide(Role.ADMIN);
    private static final TestCaller EAST = TestCaller.within("east-operator", Role.OPERATOR, "east.acme.example");

    private static final String SSH_ALLOW_EAST = """
            {"id": "R1", "domain": "east.acme.example", "source": "domain:east.acme.example",
             "destination": {"service": "ssh"}, "action": "allow", "protocol": "tcp", "ports": [22]}""";
    private static final String GUARDRAIL = """
            {"id": "G1", "domain": "acme.example", "source": "tag:camera",
             "destination": {"service": "ssh"}, "action": "deny", "guardrail": true,
             "description": "no SSH from cameras"}""";

    @TempDir
    Path folder;

    private DerbyStore database;
    private PolicyCache cache;
    private PolicyService service;
    private final List<Long> notified = new ArrayList<>();

    @BeforeEach
    void openStore() {
        database = new DerbyStore(folder);
        cache = new PolicyCache(database.policies());
        service = new PolicyService(database.policies(), database.fleet(), database.flows(), cache, database.audit(),
                database.transactions());
        service.addListener(notified::add);
        for (String domain : List.of("acme.example", "east.acme.example", "plant1.east.acme.example",
                "west.acme.example")) {
            database.fleet().createDomain(domain, "");
        }
        createNode("cam1", "plant1.east.acme.example", Set.of("camera"));
        createNode("gw1", "plant1.east.acme.example", Set.of());
        createNode("ops1", "east.acme.example", Set.of("ops"));
        createNode("web1", "west.acme.example", Set.of());
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    @Test
    void emptyPolicyIsVersionZero() {
        PolicyService.Versioned<ObjectNode> document = service.document(ADMIN);

        assertThat(document.version()).isZero();
        assertThat(document.body().toString()).isEqualTo("{\"rules\":[]}");
    }

    @Test
    void ruleCreateReadUpdateDelete() {
        PolicyService.Versioned<ObjectNode> created = service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));

        assertThat(created.version()).isEqualTo(1);
        assertThat(created.body().path("ports").toString()).isEqualTo("[22]");
        assertThat(service.rule(ADMIN, "R1").body()).isEqualTo(created.body());

        ObjectNode changed = json(SSH_ALLOW_EAST);
        changed.remove("id");
        changed.put("action", "deny");
        PolicyService.Versioned<ObjectNode> updated = service.updateRule(ADMIN, "R1", "\"1\"", changed);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.body().path("action").asText()).isEqualTo("deny");
        assertThat(updated.body().path("id").asText()).as("id taken from the path").isEqualTo("R1");

        long deleted = service.deleteRule(ADMIN, "R1", "\"2\"");
        assertThat(deleted).isEqualTo(3);
        assertThatThrownBy(() -> service.rule(ADMIN, "R1")).isInstanceOf(NotFoundException.class);
        assertThat(notified).as("versions reported to the listener").containsExactly(1L, 2L, 3L);
        assertThat(auditActions()).containsExactly("policy.rule-create", "policy.rule-update", "policy.rule-delete");
    }

    @Test
    void auditEntriesHoldRuleBeforeAndAfter() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        ObjectNode changed = json(SSH_ALLOW_EAST).put("description", "ops access");
        service.updateRule(ADMIN, "R1", "*", changed);

        AuditEntry update = database.audit().listEntries(AuditQuery.all().byAction("policy.rule-update")).items().get(0);

        assertThat(update.target()).isEqualTo("policy/rules/R1");
        assertThat(update.actor()).isEqualTo(ADMIN.getName());
        assertThat(read(update.before()).has("description")).as("before has no description").isFalse();
        assertThat(read(update.after()).path("description").asText()).isEqualTo("ops access");
    }

    @Test
    void failedAuditAppendRollsBackChange() {
        AuditStore failing = mock(AuditStore.class);
        when(failing.append(any())).thenThrow(new StoreException("the audit table is locked"));
        PolicyService unaudited = new PolicyService(database.policies(), database.fleet(), database.flows(), cache, failing,
                database.transactions());
        unaudited.addListener(notified::add);

        assertThatThrownBy(() -> unaudited.createRule(ADMIN, null, json(SSH_ALLOW_EAST)))
                .isInstanceOf(StoreException.class);

        assertThat(database.policies().policyVersion()).isZero();
        assertThat(service.rules(ADMIN).body()).isEmpty();
        assertThat(notified).as("listener calls for the rolled-back change").isEmpty();
    }

    @Test
    void failingListenerDoesNotUndoChange() {
        service.addListener(version -> {
            throw new IllegalStateException("listener failed");
        });

        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));

        assertThat(database.policies().policyVersion()).isEqualTo(1);
        assertThat(notified).containsExactly(1L);
    }

    @Test
    void staleIfMatchIsRejected() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        service.createRule(ADMIN, "\"1\"", json(GUARDRAIL));

        assertThatThrownBy(() -> service.deleteRule(ADMIN, "R1", "\"1\""))
                .isInstanceOfSatisfying(StaleVersionException.class, e -> assertThat(e.currentVersion()).isEqualTo(2));
        assertThatThrownBy(() -> service.deleteRule(ADMIN, "R1", null))
                .isInstanceOf(PreconditionRequiredException.class);
        assertThat(service.rules(ADMIN).body()).hasSize(2);
    }

    @Test
    void scopedOperatorWritesOnlyInsideScope() {
        service.createRule(EAST, null, json(SSH_ALLOW_EAST));

        assertThatThrownBy(() -> service.createRule(EAST, null, json(GUARDRAIL)))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("acme.example");
        ObjectNode moved = json(SSH_ALLOW_EAST).put("domain", "acme.example").put("source", "domain:acme.example");
        assertThatThrownBy(() -> service.updateRule(EAST, "R1", "*", moved)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.replaceDocument(EAST, "*", json("{\"rules\": []}")))
                .isInstanceOf(ForbiddenException.class);
        assertThat(service.document(ADMIN).version()).as("version after the rejected changes").isEqualTo(1);
    }

    @Test
    void scopedReadsSeeOnlyReadableRules() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        service.createRule(ADMIN, null, json(GUARDRAIL));
        TestCaller westViewer = TestCaller.within("west-viewer", Role.VIEWER, "west.acme.example");

        List<String> eastIds = ids(service.rules(EAST).body());

        assertThat(eastIds).containsExactly("R1");
        assertThat(ids(service.rules(westViewer).body())).isEmpty();
        assertThatThrownBy(() -> service.rule(EAST, "G1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.deleteRule(westViewer, "R1", "*")).isInstanceOf(NotFoundException.class);
        TestCaller eastViewer = TestCaller.within("east-viewer", Role.VIEWER, "east.acme.example");
        assertThatThrownBy(() -> service.deleteRule(eastViewer, "R1", "*")).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void changeBreakingTestCaseIsRejected() {
        service.replaceDocument(ADMIN, "*", document(List.of(SSH_ALLOW_EAST), """
                {"name": "ops reaches gw1", "source": {"node": "ops1.east.acme.example"},
                 "destination": {"node": "gw1.plant1.east.acme.example", "service": "ssh", "port": 22},
                 "expect": "allow"}"""));
        notified.clear();

        assertThatThrownBy(() -> service.deleteRule(ADMIN, "R1", "\"1\""))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("test 'ops reaches gw1': expected allow, got deny (no rule allows");

        assertThat(service.document(ADMIN).version()).isEqualTo(1);
        assertThat(notified).as("listener calls for the rejected change").isEmpty();
        assertThat(auditActions()).containsExactly("policy.replace");
    }

    @Test
    void testFailureNamesDecidingRule() {
        service.replaceDocument(ADMIN, "*", document(List.of(SSH_ALLOW_EAST), """
                {"name": "cam1 reaches gw1", "source": {"node": "cam1.plant1.east.acme.example"},
                 "destination": {"node": "gw1.plant1.east.acme.example", "service": "ssh", "port": 22},
                 "expect": "allow"}"""));

        assertThatThrownBy(() -> service.createRule(ADMIN, null, json(GUARDRAIL.replace("tag:camera",
                "domain:plant1.east.acme.example"))))
                .isInstanceOf(ClientErrorException.class)
                .hasMessageContaining("got deny (denied by guardrail G1 at acme.example: no SSH from cameras)");
    }

    @Test
    void invalidRuleNamesRuleAndField() {
        ObjectNode unknownKind = json(SSH_ALLOW_EAST).put("source", "site:east");

        assertThatThrownBy(() -> service.createRule(ADMIN, null, unknownKind))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("source"))
                .hasMessageContaining("rule 'R1'").hasMessageContaining("site");
        ObjectNode malformed = json(SSH_ALLOW_EAST).put("source", "node:-bad-.example");
        assertThatThrownBy(() -> service.createRule(ADMIN, null, malformed))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("source"));
        assertThat(service.document(ADMIN).version()).isZero();
    }

    @Test
    void duplicateRuleIdIsRejected() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));

        assertThatThrownBy(() -> service.createRule(ADMIN, null, json(SSH_ALLOW_EAST)))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("id"))
                .hasMessageContaining("Duplicate rule id 'R1'");
        assertThat(service.rules(ADMIN).body()).hasSize(1);
    }

    @Test
    void ruleOutsideAttachmentDomainIsRejected() {
        ObjectNode outside = json(SSH_ALLOW_EAST).put("source", "domain:west.acme.example");

        assertThatThrownBy(() -> service.createRule(ADMIN, null, outside))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("source"))
                .hasMessageContaining("reaches outside the rule's attachment domain east.acme.example");
    }

    @Test
    void invalidDocumentListsEveryProblem() {
        ObjectNode document = document(List.of(SSH_ALLOW_EAST.replace("\"allow\"", "\"permit\""),
                GUARDRAIL.replace("tag:camera", "color:red")), null);

        assertThatThrownBy(() -> service.replaceDocument(ADMIN, "*", document))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("rules[0].action"))
                .hasMessageContaining("2 problems")
                .hasMessageContaining("rule 'R1', field rules[0].action")
                .hasMessageContaining("rule 'G1', field rules[1].source");
        assertThat(service.document(ADMIN).version()).isZero();
    }

    @Test
    void testCaseNamingUnknownNodeIsRejected() {
        ObjectNode document = document(List.of(SSH_ALLOW_EAST), """
                {"source": {"node": "nobody.east.acme.example"},
                 "destination": {"node": "gw1.plant1.east.acme.example", "service": "ssh", "port": 22},
                 "expect": "allow"}""");

        assertThatThrownBy(() -> service.replaceDocument(ADMIN, "*", document))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("tests[0].source.node"))
                .hasMessageContaining("nobody.east.acme.example");
    }

    @Test
    void oversizedDocumentIsRejected() {
        List<String> rules = new ArrayList<>();
        String description = "d".repeat(1000);
        for (int i = 0; i < 1100; i++) {
            rules.add(SSH_ALLOW_EAST.replace("\"R1\"", "\"R" + i + "\"")
                    .replace("\"allow\"", "\"allow\", \"description\": \"" + description + "\""));
        }

        assertThatThrownBy(() -> service.replaceDocument(ADMIN, "*", document(rules, null)))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("document"))
                .hasMessageContaining("more than the maximum of " + PolicyStore.MAX_POLICY_LENGTH);
        assertThat(service.document(ADMIN).version()).isZero();
    }

    @Test
    void explainNamesDecidingRule() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        service.createRule(ADMIN, null, json(GUARDRAIL));

        ExplanationDto fromCamera = service.explain(ADMIN, flow("cam1.plant1.east.acme.example", 22));
        ExplanationDto fromOps = service.explain(EAST, flow("ops1.east.acme.example", 22));

        assertThat(fromCamera.decision().action()).isEqualTo("deny");
        assertThat(fromCamera.decision().rule().id()).isEqualTo("G1");
        assertThat(fromCamera.decision().rule().guardrail()).isTrue();
        assertThat(fromCamera.decision().reason()).isEqualTo("denied by guardrail G1 at acme.example: no SSH from cameras");
        assertThat(fromOps.decision().action()).isEqualTo("allow");
        assertThat(fromOps.decision().rule().domain()).isEqualTo("east.acme.example");
        assertThat(fromOps.policyVersion()).isEqualTo(2);
    }

    @Test
    void explainChecksNodes() {
        assertThatThrownBy(() -> service.explain(ADMIN, flow("nobody.east.acme.example", 22)))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("source.node"));
        assertThatThrownBy(() -> service.explain(EAST, flow("web1.west.acme.example", 22)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.explain(ADMIN, flow("gw1.plant1.east.acme.example", 70000)))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("destination.port"));
    }

    @Test
    void dryRunListsChangedFlows() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        ObjectNode draft = document(List.of(SSH_ALLOW_EAST, GUARDRAIL), null);
        List<FlowRequest> flows = List.of(flow("ops1.east.acme.example", 22), flow("cam1.plant1.east.acme.example", 22),
                flow("cam1.plant1.east.acme.example", 80));

        DryRunDto result = service.dryRun(ADMIN, new DryRunRequest(draft, flows));

        assertThat(result.policyVersion()).isEqualTo(1);
        assertThat(result.newlyDenied()).hasSize(1);
        assertThat(result.newlyDenied().get(0).index()).isEqualTo(1);
        assertThat(result.newlyDenied().get(0).before().rule().id()).isEqualTo("R1");
        assertThat(result.newlyDenied().get(0).after().rule().id()).isEqualTo("G1");
        assertThat(result.newlyAllowed()).isEmpty();
        assertThat(service.document(ADMIN).version()).as("version after the dry run").isEqualTo(1);
    }

    @Test
    void dryRunWithoutFlowsUsesRecordedFlows() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        ObjectNode draft = document(List.of(SSH_ALLOW_EAST, GUARDRAIL), null);
        database.flows().appendFlows(List.of(
                recorded(1, "cam1.plant1.east.acme.example", 22, "closed", "allow"),
                recorded(2, "cam1.plant1.east.acme.example", 22, "closed", "allow"),
                recorded(3, "ops1.east.acme.example", 22, "opened", "allow"),
                recorded(4, "gone1.plant1.east.acme.example", 22, "closed", "allow")));

        DryRunDto result = service.dryRun(ADMIN, new DryRunRequest(draft, null));

        assertThat(result.newlyDenied()).as("recorded flows that the guardrail denies").singleElement()
                .satisfies(change -> assertThat(change.flow()).contains("cam1.plant1.east.acme.example"))
                .satisfies(change -> assertThat(change.after().rule().id()).isEqualTo("G1"));
        assertThat(result.newlyAllowed()).isEmpty();
    }

    @Test
    void dryRunUsesRecordedCalls() {
        service.createRule(ADMIN, null, json("""
                {"id": "C1", "domain": "acme.example", "source": "client:ci",
                 "destination": {"operation": "io.acme.camera/snapshot"}, "action": "allow"}"""));
        ObjectNode draft = document(List.of(SSH_ALLOW_EAST), null);
        database.flows().appendFlows(List.of(recordedCall(1, Optional.of("client:ci")),
                recordedCall(2, Optional.empty())));

        DryRunDto result = service.dryRun(ADMIN, new DryRunRequest(draft, null));

        assertThat(result.newlyDenied()).as("recorded calls that the draft no longer allows").singleElement()
                .satisfies(change -> assertThat(change.flow()).contains("client:ci")
                        .contains("io.acme.camera/snapshot"))
                .satisfies(change -> assertThat(change.before().rule().id()).isEqualTo("C1"));
        assertThat(result.newlyAllowed()).isEmpty();
    }

    @Test
    void dryRunSkipsUnreadableFlows() {
        service.createRule(ADMIN, null, json("""
                {"id": "R2", "domain": "acme.example", "source": "domain:west.acme.example",
                 "destination": {"service": "ssh"}, "action": "allow", "protocol": "tcp", "ports": [22]}"""));
        ObjectNode draft = document(List.of(GUARDRAIL), null);
        database.flows().appendFlows(List.of(recorded(1, "web1.west.acme.example", 22, "closed", "allow")));

        DryRunDto asAdmin = service.dryRun(ADMIN, new DryRunRequest(draft, null));
        DryRunDto asEast = service.dryRun(EAST, new DryRunRequest(draft, null));

        assertThat(asAdmin.newlyDenied()).as("changes that an admin receives").hasSize(1);
        assertThat(asEast.newlyDenied()).as("changes that a caller scoped to east receives").isEmpty();
    }

    @Test
    void dryRunReportsDraftProblemsUnderDocument() {
        ObjectNode draft = document(List.of(SSH_ALLOW_EAST.replace("\"ssh\"", "\"s s h\"")), null);

        assertThatThrownBy(() -> service.dryRun(ADMIN, new DryRunRequest(draft, List.of())))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("document.rules[0].destination.service"));
    }

    @Test
    void compilerGivesEachNodeItsRules() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        service.createRule(ADMIN, null, json(GUARDRAIL));
        PolicyCompilerComponent compiler = new PolicyCompilerComponent(cache);
        NodeSubject outside = NodeSubject.edge("n1.other.example");
        NodeSubject web1 = NodeSubject.edge("web1.west.acme.example");
        NodeSubject cam1 = NodeSubject.edge("cam1.plant1.east.acme.example")
                .withTags(Set.of(io.weft.fleet.Tag.of("camera")));

        NodePolicies compiled = compiler.compile(List.of(outside, web1, cam1));

        assertThat(compiler.currentVersion()).isEqualTo(2);
        assertThat(compiled.policyVersion()).isEqualTo(2);
        assertThat(ruleIds(compiled, "n1.other.example")).as("node outside every attachment domain").isEmpty();
        assertThat(ruleIds(compiled, "web1.west.acme.example")).as("web1, an SSH destination of G1")
                .containsExactly("G1");
        assertThat(ruleIds(compiled, "cam1.plant1.east.acme.example")).containsExactly("G1", "R1");
    }

    @Test
    void compilerListsPeersFromFleet() {
        service.createRule(ADMIN, null, json(SSH_ALLOW_EAST));
        service.createRule(ADMIN, null, json(GUARDRAIL));
        PolicyCompilerComponent compiler = new PolicyCompilerComponent(cache);
        NodeSubject web1 = NodeSubject.edge("web1.west.acme.example");
        NodeSubject cam1 = NodeSubject.edge("cam1.plant1.east.acme.example")
                .withTags(Set.of(io.weft.fleet.Tag.of("camera"), io.weft.fleet.Tag.of("outdoor")));

        NodePolicies compiled = compiler.compile(List.of(web1), List.of(web1, cam1));

        assertThat(compiler.attributeRuleDomains()).as("domains of rules that read attributes")
                .containsExactly(io.weft.fleet.DomainName.of("acme.example"));
        assertThat(compiled.peersFor(web1.name()).entries()).as("peers of web1, a destination of G1")
                .containsExactly(NodeSubject.edge("cam1.plant1.east.acme.example")
                        .withTags(Set.of(io.weft.fleet.Tag.of("camera"))), web1);
    }

    private static List<String> ruleIds(NodePolicies compiled, String node) {
        return compiled.rulesFor(NodeFullName.parse(node)).stream().map(rule -> rule.id()).toList();
    }

    private void createNode(String name, String domain, Set<String> tags) {
        database.fleet().createNode(NodeSpec.of(name, domain, NodeRole.EDGE).withTags(tags));
    }

    private List<String> auditActions() {
        return database.audit().listEntries(AuditQuery.all()).items().stream().map(AuditEntry::action).toList();
    }

    private static StoredFlow recorded(long sequence, String source, int port, String event, String action) {
        Instant start = Instant.parse("2026-01-31T12:00:00Z");
        return new StoredFlow(0, "node-x", 1, sequence, event, "source", source, "gw1.plant1.east.acme.example", "ssh",
                port, action, Optional.of("R1"), start, 0, 0, 0, start);
    }

    /** Returns the record of a call to io.acme.camera/snapshot; a caller that failed to authenticate is empty. */
    private static StoredFlow recordedCall(long sequence, Optional<String> caller) {
        Instant start = Instant.parse("2026-01-31T12:00:00Z");
        return new StoredFlow(0, "node-x", 1, sequence, "closed", "destination", "gw1.plant1.east.acme.example",
                "gw1.plant1.east.acme.example", "edge-api", 0, "allow", Optional.of("C1"), start, 0, 0, 0, start,
                Optional.of(new StoredFlow.Call("io.acme.camera", "snapshot", caller, Optional.empty(), 200)));
    }

    private static FlowRequest flow(String source, int port) {
        return new FlowRequest(new FlowRequest.Source(source, null),
                new FlowRequest.Destination("gw1.plant1.east.acme.example", "ssh", null, port, null));
    }

    private static ObjectNode document(List<String> rules, String test) {
        return json("{\"rules\": [" + String.join(",", rules) + "]" + (test == null ? "" : ", \"tests\": [" + test + "]")
                + "}");
    }

    private static List<String> ids(List<JsonNode> rules) {
        return rules.stream().map(rule -> rule.path("id").asText()).toList();
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) read(text);
    }

    private static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
