package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The policy resources of the manager's REST API as a client uses them. The tests cover rules
 * one by one and the whole document, optimistic concurrency with the document's ETag, scoped
 * operators, policy test cases that block a breaking change, explain, dry-run, rejected input
 * and the audit log.
 *
 * <p>All tests share one manager and its one policy document, so they run in a fixed order:
 * the later ones replace the document that the earlier ones built.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class ManagerPolicyApiIT {

    private static final String API = "/api/v1";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EAST_OPERATOR = "east-policy-operator";
    private static final String EAST_PASSWORD = "east policy password 1";

    private static final String OPS_SSH = """
            {"id": "ops-ssh", "domain": "east.acme.example", "source": "tag:ops",
             "destination": {"service": "ssh", "nodes": "role:gateway"}, "action": "allow",
             "protocol": "tcp", "ports": [22], "description": "ops may SSH into gateways"}""";
    private static final String NO_CAMERA_SSH = """
            {"id": "no-camera-ssh", "domain": "acme.example", "source": "tag:camera",
             "destination": {"service": "ssh"}, "action": "deny", "guardrail": true,
             "description": "cameras never open SSH"}""";
    private static final String OPS_TEST = """
            {"name": "ops1 reaches gw1 over SSH", "source": {"node": "ops1.east.acme.example", "tags": ["ops"]},
             "destination": {"node": "gw1.plant1.east.acme.example", "role": "gateway", "service": "ssh", "port": 22},
             "expect": "allow"}""";

    private WeftInstallation manager;
    private String admin;
    private String eastOperator;

    @BeforeAll
    void startManagerWithFleet(WeftInstallations installations) {
        manager = installations.start(Distribution.MANAGER);
        admin = ManagerAccessIT.adminAuthorization(manager);
        for (String domain : List.of("acme.example", "east.acme.example", "plant1.east.acme.example",
                "west.acme.example")) {
            expect(201, send(admin, "POST", "/domains", "{\"name\": \"" + domain + "\"}", null));
        }
        createNode("cam1", "plant1.east.acme.example", "edge", "[\"camera\"]");
        createNode("gw1", "plant1.east.acme.example", "gateway", "[]");
        createNode("ops1", "east.acme.example", "edge", "[\"ops\"]");
        createNode("web1", "west.acme.example", "edge", "[]");
        expect(201, send(admin, "POST", "/operators", """
                {"name": "%s", "password": "%s", "grants": [{"role": "operator", "scope": "east.acme.example"}]}"""
                .formatted(EAST_OPERATOR, EAST_PASSWORD), null));
        eastOperator = basic(EAST_OPERATOR, EAST_PASSWORD);
    }

    @Test
    @Order(1)
    void ruleCreateReadUpdateDelete() {
        HttpResponse<String> created = send(admin, "POST", "/policies/rules", OPS_SSH, null);

        expect(201, created);
        assertThat(created.headers().firstValue("Location")).as("Location")
                .hasValueSatisfying(location -> assertThat(location).endsWith(API + "/policies/rules/ops-ssh"));
        String createdTag = etag(created);
        assertThat(json(created).path("ports").toString()).isEqualTo("[22]");
        HttpResponse<String> read = send(admin, "GET", "/policies/rules/ops-ssh", null, null);
        expect(200, read);
        assertThat(etag(read)).isEqualTo(createdTag);
        assertThat(ruleIds(admin)).contains("ops-ssh");

        HttpResponse<String> updated = send(admin, "PUT", "/policies/rules/ops-ssh",
                OPS_SSH.replace("[22]", "[22, \"2200-2299\"]"), createdTag);
        expect(200, updated);
        assertThat(json(updated).path("ports").toString()).isEqualTo("[22,\"2200-2299\"]");
        HttpResponse<String> stale = send(admin, "PUT", "/policies/rules/ops-ssh", OPS_SSH, createdTag);
        assertRejected(stale, 412, "stale_version", "If-Match");
        assertThat(stale.headers().firstValue("ETag")).as("ETag of the 412").contains(etag(updated));

        expect(204, send(admin, "DELETE", "/policies/rules/ops-ssh", null, etag(updated)));
        assertRejected(send(admin, "GET", "/policies/rules/ops-ssh", null, null), 404, "not_found", null);
        assertRejected(send(admin, "DELETE", "/policies/rules/ops-ssh", null, null), 428, "precondition_required",
                "If-Match");
    }

    @Test
    @Order(2)
    void scopedOperatorCannotWriteOutsideSubtree() {
        expect(201, send(admin, "POST", "/policies/rules", """
                {"id": "west-web", "domain": "west.acme.example", "source": "domain:west.acme.example",
                 "destination": {"service": "http"}, "action": "allow"}""", null));

        HttpResponse<String> inside = send(eastOperator, "POST", "/policies/rules", OPS_SSH, null);
        HttpResponse<String> outside = send(eastOperator, "POST", "/policies/rules", NO_CAMERA_SSH, null);
        HttpResponse<String> westRule = send(eastOperator, "DELETE", "/policies/rules/west-web", null, "*");
        HttpResponse<String> wholeDocument = send(eastOperator, "PUT", "/policies", "{\"rules\": []}", "*");

        expect(201, inside);
        assertRejected(outside, 403, "forbidden", null);
        assertRejected(westRule, 404, "not_found", null);
        assertRejected(wholeDocument, 403, "forbidden", null);
        assertThat(ruleIds(eastOperator)).as("rules the east operator lists").containsExactly("ops-ssh");
        assertThat(ruleIds(admin)).as("rules the admin lists").containsExactly("west-web", "ops-ssh");
    }

    @Test
    @Order(3)
    void badInputIsRejectedWithRuleAndField() {
        HttpResponse<String> before = send(admin, "GET", "/policies", null, null);

        assertInvalid(send(admin, "POST", "/policies/rules", OPS_SSH.replace("\"ops-ssh\"", "\"r-kind\"")
                .replace("tag:ops", "site:plant1"), null), "source", "r-kind");
        assertInvalid(send(admin, "POST", "/policies/rules", OPS_SSH.replace("\"ops-ssh\"", "\"r-name\"")
                .replace("tag:ops", "node:-bad-.east.acme.example"), null), "source", "r-name");
        assertInvalid(send(admin, "POST", "/policies/rules", OPS_SSH.replace("\"ops-ssh\"", "\"r-scope\"")
                .replace("tag:ops", "domain:west.acme.example"), null), "source", "reaches outside");
        assertInvalid(send(admin, "POST", "/policies/rules", OPS_SSH, null), "id", "Duplicate rule id 'ops-ssh'");
        assertInvalid(send(admin, "PUT", "/policies", "{\"rules\": [" + OPS_SSH + ", " + OPS_SSH.replace("tag:ops",
                "tag:admins") + "]}", "*"), "rules[1].id", "ops-ssh");
        assertInvalid(send(admin, "PUT", "/policies", "{\"rules\": [" + OPS_SSH.replace("\"allow\"", "\"permit\"")
                + ", " + NO_CAMERA_SSH.replace("tag:camera", "colour:red") + "]}", "*"), "rules[0].action",
                "rule 'no-camera-ssh', field rules[1].source");
        String oversized = "{\"rules\": [], \"padding\": \"" + "x".repeat(1_100_000) + "\"}";
        assertRejected(send(admin, "PUT", "/policies", oversized, "*"), 413, "body_too_large", null);

        HttpResponse<String> after = send(admin, "GET", "/policies", null, null);
        assertThat(etag(after)).as("ETag after the rejected changes").isEqualTo(etag(before));
        assertThat(after.body()).as("document after the rejected changes").isEqualTo(before.body());
    }

    @Test
    @Order(4)
    void changeBreakingTestCaseIsRejected() {
        HttpResponse<String> imported = send(admin, "PUT", "/policies",
                "{\"rules\": [" + OPS_SSH + ", " + NO_CAMERA_SSH + "], \"tests\": [" + OPS_TEST + "]}", "*");
        expect(200, imported);

        HttpResponse<String> breaking = send(admin, "DELETE", "/policies/rules/ops-ssh", null, etag(imported));
        HttpResponse<String> breakingUpdate = send(eastOperator, "PUT", "/policies/rules/ops-ssh",
                OPS_SSH.replace("\"allow\"", "\"deny\""), etag(imported));

        for (HttpResponse<String> rejected : List.of(breaking, breakingUpdate)) {
            assertRejected(rejected, 409, "conflict", null);
            assertThat(json(rejected).path("message").asText()).as("message of %s", rejected.request().method())
                    .contains("test 'ops1 reaches gw1 over SSH': expected allow, got deny");
        }
        HttpResponse<String> after = send(admin, "GET", "/policies", null, null);
        assertThat(etag(after)).as("ETag after the rejected changes").isEqualTo(etag(imported));
        assertThat(json(after)).isEqualTo(json(imported));
    }

    @Test
    @Order(5)
    void explainNamesDecidingRule() {
        HttpResponse<String> camera = send(admin, "POST", "/policies/explain", flow("cam1.plant1.east.acme.example", 22),
                null);
        HttpResponse<String> ops = send(eastOperator, "POST", "/policies/explain", flow("ops1.east.acme.example", 22),
                null);
        HttpResponse<String> west = send(eastOperator, "POST", "/policies/explain", flow("web1.west.acme.example", 22),
                null);

        expect(200, camera);
        JsonNode denied = json(camera).path("decision");
        assertThat(denied.path("action").asText()).isEqualTo("deny");
        assertThat(denied.path("rule").path("id").asText()).isEqualTo("no-camera-ssh");
        assertThat(denied.path("rule").path("guardrail").asBoolean()).isTrue();
        assertThat(denied.path("reason").asText())
                .isEqualTo("denied by guardrail no-camera-ssh at acme.example: cameras never open SSH");
        expect(200, ops);
        assertThat(json(ops).path("decision").path("rule").path("id").asText()).isEqualTo("ops-ssh");
        assertThat(json(ops).path("decision").path("action").asText()).isEqualTo("allow");
        assertRejected(west, 403, "forbidden", null);
        assertInvalid(send(admin, "POST", "/policies/explain", flow("nobody.east.acme.example", 22), null),
                "source.node", "not in the fleet");
    }

    @Test
    @Order(6)
    void dryRunListsChangedFlows() {
        String draft = "{\"rules\": [" + NO_CAMERA_SSH + "], \"tests\": [" + OPS_TEST + "]}";
        String flows = "[" + flow("ops1.east.acme.example", 22) + ", " + flow("cam1.plant1.east.acme.example", 22) + "]";

        HttpResponse<String> response = send(admin, "POST", "/policies/dry-run",
                "{\"document\": " + draft + ", \"flows\": " + flows + "}", null);

        expect(200, response);
        JsonNode result = json(response);
        assertThat(result.path("newlyDenied").size()).as("newly denied in %s", response.body()).isEqualTo(1);
        JsonNode change = result.path("newlyDenied").path(0);
        assertThat(change.path("index").asInt()).isZero();
        assertThat(change.path("before").path("rule").path("id").asText()).isEqualTo("ops-ssh");
        assertThat(change.path("after").path("action").asText()).isEqualTo("deny");
        assertThat(result.path("newlyAllowed").size()).isZero();
        assertThat(result.path("testFailures").path(0).path("test").asText()).isEqualTo("ops1 reaches gw1 over SSH");
        assertInvalid(send(admin, "POST", "/policies/dry-run", "{\"document\": {\"rules\": [" + NO_CAMERA_SSH
                .replace("tag:camera", "colour:red") + "]}, \"flows\": []}", null), "document.rules[0].source",
                "no-camera-ssh");
    }

    @Test
    @Order(7)
    void everyChangeIsAudited() {
        List<String> actions = new ArrayList<>();
        HttpResponse<String> audit = send(admin, "GET", "/audit?target=policy&limit=1000", null, null);
        expect(200, audit);
        for (JsonNode entry : json(audit).path("items")) {
            actions.add(entry.path("action").asText());
        }

        assertThat(actions).as("audited policy changes").containsExactly("policy.rule-create", "policy.rule-update",
                "policy.rule-delete", "policy.rule-create", "policy.rule-create", "policy.replace");
        HttpResponse<String> east = send(admin, "GET", "/audit?actor=" + EAST_OPERATOR, null, null);
        assertThat(json(east).path("items").path(0).path("target").asText()).isEqualTo("policy/rules/ops-ssh");
    }

    private void createNode(String name, String domain, String role, String tags) {
        expect(201, send(admin, "POST", "/nodes", "{\"name\": \"" + name + "\", \"domain\": \"" + domain
                + "\", \"role\": \"" + role + "\", \"tags\": " + tags + "}", null));
    }

    private List<String> ruleIds(String authorization) {
        HttpResponse<String> response = send(authorization, "GET", "/policies/rules", null, null);
        expect(200, response);
        List<String> ids = new ArrayList<>();
        json(response).path("items").forEach(rule -> ids.add(rule.path("id").asText()));
        return ids;
    }

    private static String flow(String source, int port) {
        return """
                {"source": {"node": "%s"},
                 "destination": {"node": "gw1.plant1.east.acme.example", "service": "ssh", "port": %d}}"""
                .formatted(source, port);
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s %s: %s", response.request().method(), response.uri(),
                abbreviate(response.body())).isEqualTo(status);
    }

    private static void assertInvalid(HttpResponse<String> response, String field, String messagePart) {
        assertRejected(response, 400, "invalid_field", field);
        assertThat(json(response).path("message").asText()).as("message").contains(messagePart);
    }

    /** Checks the status and the error body: exactly error, message and field, and field only when expected is not null. */
    private static void assertRejected(HttpResponse<String> response, int status, String code, String field) {
        expect(status, response);
        JsonNode error = json(response);
        List<String> names = new ArrayList<>();
        error.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("fields of the error body %s", abbreviate(response.body()))
                .containsExactlyInAnyOrder("error", "message", "field");
        assertThat(error.path("error").asText()).as("error of %s", abbreviate(response.body())).isEqualTo(code);
        if (field != null) {
            assertThat(error.path("field").asText()).as("field of %s", abbreviate(response.body())).isEqualTo(field);
        }
        assertThat(error.path("message").asText()).as("message").isNotBlank().doesNotContain("\tat ");
    }

    private static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag on "
                + response.request().method() + " " + response.uri()));
    }

    private HttpResponse<String> send(String authorization, String method, String path, String body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(manager.https().uri(API + path))
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        HttpRequest built = request.build();
        try {
            return manager.https().client().send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(built.method() + " " + built.uri() + " was interrupted", e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("The body of " + response.uri() + " is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
