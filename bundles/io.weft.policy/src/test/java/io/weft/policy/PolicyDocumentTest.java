package io.weft.policy;

import static io.weft.policy.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyDocumentTest {

    private static final String VALID = """
            {"rules": [
              {"id": "G1", "domain": "acme.example", "source": "domain:acme.example",
               "destination": {"service": "ssh", "nodes": {"tag": "camera"}},
               "action": "deny", "protocol": "tcp", "ports": [22, "2200-2299"],
               "description": "no SSH into cameras", "guardrail": true},
              {"id": "R1", "domain": "east.acme.example",
               "source": {"anyOf": ["tag:ops", {"allOf": [{"role": "gateway"}, {"cluster": "edge-gw"}]}]},
               "destination": {"service": "ssh"}, "action": "allow"},
              {"id": "R2", "domain": "plant1.east.acme.example", "source": {"client": "ci-deployer"},
               "destination": {"operation": "io.acme.camera/snapshot", "nodes": "tag:camera"}, "action": "allow"}
            ],
            "tests": [
              {"name": "ops reaches the gateway",
               "source": {"node": "ops1.east.acme.example", "tags": ["ops"]},
               "destination": {"node": "gw1.plant1.east.acme.example", "role": "gateway", "service": "ssh", "port": 22},
               "expect": "allow"},
              {"name": "ops cannot SSH into a camera",
               "source": {"node": "ops1.east.acme.example", "tags": ["ops"]},
               "destination": {"node": "cam1.plant1.east.acme.example", "tags": ["camera"], "service": "ssh",
                               "protocol": "tcp", "port": 22},
               "expect": "deny"},
              {"source": {"client": "ci-deployer"},
               "destination": {"node": "cam1.plant1.east.acme.example", "tags": ["camera"],
                               "operation": "io.acme.camera/snapshot"},
               "expect": "allow"}
            ]}
            """;

    @Test
    void parseReadsRulesAndTests() {
        PolicyDocument document = PolicyDocument.parse(VALID);

        assertThat(document.rules()).extracting(PolicyRule::id).containsExactly("G1", "R1", "R2");
        PolicyRule guardrail = document.rules().get(0);
        assertThat(guardrail.guardrail()).isTrue();
        assertThat(guardrail.destination()).hasToString("ssh on tag:camera");
        assertThat(guardrail.protocol()).contains(Protocol.TCP);
        assertThat(guardrail.ports()).containsExactly(PortRange.of(22), new PortRange(2200, 2299));
        assertThat(document.rules().get(1).source()).hasToString("any(tag:ops, all(role:gateway, cluster:edge-gw))");
        assertThat(document.tests()).extracting(PolicyTest::name)
                .containsExactly("ops reaches the gateway", "ops cannot SSH into a camera", "tests[2]");
    }

    @Test
    void passingTestsReturnNoFailures() {
        assertThat(PolicyDocument.parse(VALID).runTests()).isEmpty();
    }

    @Test
    void failingTestReportsActualDecision() {
        String json = VALID.replace("\"expect\": \"deny\"", "\"expect\": \"allow\"");

        List<TestFailure> failures = PolicyDocument.parse(json).runTests();

        assertThat(failures).hasSize(1);
        TestFailure failure = failures.get(0);
        assertThat(failure.test().name()).isEqualTo("ops cannot SSH into a camera");
        assertThat(failure.actual().rule()).contains(new RuleRef("G1", io.weft.fleet.DomainName.of("acme.example"), true));
        assertThat(failure).hasToString("test 'ops cannot SSH into a camera': expected allow, got deny"
                + " (denied by guardrail G1 at acme.example: no SSH into cameras)");
    }

    @Test
    void toJsonRoundTrips() {
        PolicyDocument document = PolicyDocument.parse(VALID);

        PolicyDocument reread = PolicyDocument.parse(document.toJsonBytes());

        assertThat(reread.rules()).isEqualTo(document.rules());
        assertThat(reread.tests()).isEqualTo(document.tests());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // case | rule JSON | rule id | field | start of reason
        "unknown field | {`id`: `R1`, `domain`: `acme.example`, `sourse`: `tag:a`, `source`: `tag:a`,"
                + " `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | R1 | rules[0].sourse | Unknown field 'sourse'. Use one of: id, domain, source,",
        "missing id | {`domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | | rules[0].id | The field 'id' is missing. Add it.",
        "invalid id | {`id`: `R 1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `allow`} | R 1 | rules[0].id | Invalid rule id 'R 1': it contains ' ' (U+0020).",
        "missing action | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`}}"
                + " | R1 | rules[0].action | The field 'action' is missing. Add it.",
        "unknown action | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `permit`} | R1 | rules[0].action | Unknown action 'permit'. Use one of: allow, deny.",
        "wrong type | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `allow`, `guardrail`: `yes`} | R1 | rules[0].guardrail | Expected true or false, found a string.",
        "malformed domain | {`id`: `R1`, `domain`: `acme..example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `allow`} | R1 | rules[0].domain | Invalid domain 'acme..example': it contains an empty label",
        "unknown selector kind in text | {`id`: `R1`, `domain`: `acme.example`, `source`: `host:a.acme.example`,"
                + " `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | R1 | rules[0].source | Invalid selector 'host:a.acme.example' at character 1: Unknown selector kind 'host'.",
        "unknown selector kind in JSON | {`id`: `R1`, `domain`: `acme.example`, `source`: {`host`: `a.acme.example`},"
                + " `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | R1 | rules[0].source.host | Unknown selector kind 'host'. Use one of: node, domain, tag,",
        "malformed node name | {`id`: `R1`, `domain`: `acme.example`, `source`: {`allOf`: [`tag:a`, {`node`: `web_1.acme.example`}]},"
                + " `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | R1 | rules[0].source.allOf[1].node | Invalid node full name 'web_1.acme.example': the label 'web_1' contains '_'.",
        "selector with two members | {`id`: `R1`, `domain`: `acme.example`, `source`: {`tag`: `a`, `role`: `edge`},"
                + " `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | R1 | rules[0].source | Expected a selector: a string such as 'tag:camera', or an object with one member",
        "source outside domain | {`id`: `R1`, `domain`: `east.acme.example`, `source`: `domain:west.acme.example`,"
                + " `destination`: {`service`: `ssh`}, `action`: `allow`}"
                + " | R1 | rules[0].source | The term 'domain:west.acme.example' reaches outside the rule's attachment domain",
        "service and operation | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`,"
                + " `destination`: {`service`: `ssh`, `operation`: `a/b`}, `action`: `allow`}"
                + " | R1 | rules[0].destination.service | A destination needs exactly one of 'service' and 'operation'.",
        "malformed service | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `s s`},"
                + " `action`: `allow`} | R1 | rules[0].destination.service | Invalid service name 's s'",
        "unknown protocol | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `allow`, `protocol`: `sctp`} | R1 | rules[0].protocol | Unknown protocol 'sctp'. Use one of: tcp, udp.",
        "invalid port | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `allow`, `ports`: [22, 70000]} | R1 | rules[0].ports[1] | Invalid port 70000",
        "fractional port | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`service`: `ssh`},"
                + " `action`: `allow`, `ports`: [22.5]} | R1 | rules[0].ports[0] | Expected a port such as 22 or a range"
                + " such as \"8000-8080\", found 22.5.",
        "ports on operation | {`id`: `R1`, `domain`: `acme.example`, `source`: `tag:a`, `destination`: {`operation`: `a/b`},"
                + " `action`: `allow`, `ports`: [22]} | R1 | rules[0].ports | The destination a/b is an app operation",
        "rule not an object | 42 | | rules[0] | Expected a rule object, found a number.",
    })
    void parseRejectsBadRule(String name, String rule, String ruleId, String field, String reason) {
        String json = "{\"rules\": [" + rule.replace('`', '"') + "]}";

        InvalidPolicyException rejected = rejection(() -> PolicyDocument.parse(json));

        assertThat(rejected.problems()).as(name).hasSize(1);
        assertThat(rejected.ruleId()).as(name).isEqualTo(Optional.ofNullable(ruleId));
        assertThat(rejected.field()).as(name).isEqualTo(field);
        assertThat(rejected.reason()).as(name).startsWith(reason.replace('`', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON | {`rules`: [} | document | Invalid JSON at line 1, column 12:",
        "duplicate key | {`rules`: [], `rules`: []} | document | Invalid JSON at line 1, column 22: Duplicate field 'rules'",
        "trailing content | {`rules`: []} {} | document | Invalid JSON at line 1, column 15: Trailing token",
        "array document | [] | document | Expected a JSON object with 'rules' and optional 'tests', found an array.",
        "missing rules | {`tests`: []} | rules | The field 'rules' is missing. Add it.",
        "unknown top-level field | {`rules`: [], `version`: 1} | version | Unknown field 'version'. Use one of: rules, tests.",
        "rules not an array | {`rules`: {}} | rules | Expected an array, found an object.",
        "bad expectation | {`rules`: [], `tests`: [{`source`: {`client`: `ci`}, `destination`: {`node`: `a.b.example`,"
                + " `service`: `ssh`, `port`: 22}, `expect`: `maybe`}]} | tests[0].expect | Unknown action 'maybe'.",
        "missing test port | {`rules`: [], `tests`: [{`source`: {`client`: `ci`}, `destination`: {`node`: `a.b.example`,"
                + " `service`: `ssh`}, `expect`: `deny`}]} | tests[0].destination.port | The field 'port' is missing.",
        "client and node source | {`rules`: [], `tests`: [{`source`: {`client`: `ci`, `node`: `a.b.example`},"
                + " `destination`: {`node`: `a.b.example`, `service`: `ssh`, `port`: 22}, `expect`: `deny`}]}"
                + " | tests[0].source.client | A source is either a client or a node.",
        "test port out of range | {`rules`: [], `tests`: [{`source`: {`client`: `ci`}, `destination`: {`node`: `a.b.example`,"
                + " `service`: `ssh`, `port`: 0}, `expect`: `deny`}]} | tests[0].destination.port | Invalid port 0",
        "malformed test tag | {`rules`: [], `tests`: [{`source`: {`node`: `a.b.example`, `tags`: [`-x`]},"
                + " `destination`: {`node`: `a.b.example`, `service`: `ssh`, `port`: 22}, `expect`: `deny`}]}"
                + " | tests[0].source.tags[0] | Invalid tag '-x'",
    })
    void parseRejectsBadDocument(String name, String document, String field, String reason) {
        String json = document.replace('`', '"');

        InvalidPolicyException rejected = rejection(() -> PolicyDocument.parse(json));

        assertThat(rejected.problems()).as(name).hasSize(1);
        assertThat(rejected.field()).as(name).isEqualTo(field);
        assertThat(rejected.reason()).as(name).startsWith(reason);
    }

    @Test
    void parseRejectsDuplicateRuleIds() {
        String rule = "{\"id\": \"R1\", \"domain\": \"acme.example\", \"source\": \"tag:a\","
                + " \"destination\": {\"service\": \"ssh\"}, \"action\": \"allow\"}";
        String json = "{\"rules\": [" + rule + ", " + rule.replace("R1", "R2") + ", " + rule + "]}";

        InvalidPolicyException rejected = rejection(() -> PolicyDocument.parse(json));

        assertThat(rejected.problems()).containsExactly(new PolicyProblem(Optional.of("R1"), "rules[2].id",
                "Duplicate rule id 'R1': rules[0] has the same id. Give every rule its own id."));
    }

    @Test
    void parseReportsEveryProblem() {
        String json = """
                {"rules": [
                  {"id": "R1", "domain": "acme.example", "source": "tag:a", "destination": {"service": "ssh"},
                   "action": "allow"},
                  {"id": "R2", "domain": "acme.example", "source": "bogus:a", "destination": {"service": "ssh"},
                   "action": "allow", "colour": "red"},
                  {"id": "R3", "domain": "acme.example", "source": "tag:a", "destination": {"service": "ssh"},
                   "action": "block"}
                ], "tests": [{"source": {"client": "ci"}, "destination": {"node": "x"}, "expect": "deny"}]}
                """;

        InvalidPolicyException rejected = rejection(() -> PolicyDocument.parse(json));

        assertThat(rejected.problems()).extracting(PolicyProblem::field).containsExactly(
                "rules[1].colour", "rules[1].source", "rules[2].action",
                "tests[0].destination.node", "tests[0].destination.service", "tests[0].destination.port");
        assertThat(rejected.problems().subList(0, 3)).extracting(p -> p.ruleId().orElseThrow())
                .containsExactly("R2", "R2", "R3");
        assertThat(rejected.getMessage()).startsWith("Invalid policy: 6 problems.\n- rule 'R2', field rules[1].colour:");
    }

    @Test
    void parseRejectsOversizedDocument() {
        byte[] json = new byte[PolicyDocument.MAX_DOCUMENT_SIZE + 1];

        InvalidPolicyException rejected = rejection(() -> PolicyDocument.parse(json));

        assertThat(rejected.field()).isEqualTo("document");
        assertThat(rejected.reason()).isEqualTo("The document has 16777217 bytes, more than the maximum of 16777216."
                + " Split the policy or shorten descriptions.");
    }

    @Test
    void parseRejectsTooManyRules() {
        String rule = "{\"id\": \"R\", \"domain\": \"acme.example\", \"source\": \"tag:a\","
                + " \"destination\": {\"service\": \"ssh\"}, \"action\": \"allow\"}";
        String json = "{\"rules\": [" + String.join(",", java.util.Collections.nCopies(Policy.MAX_RULES + 1, rule)) + "]}";

        InvalidPolicyException rejected = rejection(() -> PolicyDocument.parse(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(rejected.problems()).hasSize(1);
        assertThat(rejected.field()).isEqualTo("rules");
        assertThat(rejected.reason()).startsWith("The array has 20001 elements, more than the maximum of 20000.");
    }

    @Test
    void policyRejectsDuplicateIds() {
        PolicyRule rule = PolicyRule.of("R1", io.weft.fleet.DomainName.of("acme.example"), Selector.parse("tag:a"),
                Destination.service("ssh"), Action.ALLOW);

        InvalidPolicyException rejected = rejection(() -> Policy.of(List.of(rule, rule)));

        assertThat(rejected.ruleId()).contains("R1");
        assertThat(rejected.field()).isEqualTo("rules[1].id");
    }
}
