package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.ReadinessReport;
import io.weft.systemtest.harness.WeftHttpClient;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The fleet resources of the manager's REST API as a client sees them: domains, nodes,
 * profiles and effective profiles, listing with filters and pages, optimistic concurrency
 * with ETags, and the error body for bad input.
 *
 * <p>All tests share one manager, started once for the class. Each test works in a domain
 * tree of its own, so the tests do not depend on each other's data or order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WeftSystemTestExtension.class)
class ManagerFleetApiIT {

    private static final String API = "/api/v1";
    private static final String API_BUNDLE = "io.weft.manager.api";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    private WeftInstallation manager;
    private String authorization;

    @BeforeAll
    void startManager(WeftInstallations installations) {
        manager = installations.start(Distribution.MANAGER);
        authorization = ManagerAccessIT.adminAuthorization(manager);
        requireFleetApiServed();
    }

    /**
     * Checks that readiness covers the API: once the manager reports ready, the JAX-RS
     * whiteboard serves the fleet resources, with no wait.
     */
    private void requireFleetApiServed() {
        assertThat(get("/domains").statusCode())
                .as("status of GET %s/domains right after the manager reported ready", API)
                .isEqualTo(200);
    }

    @AfterAll
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void domainCreateReadUpdateDelete() {
        HttpResponse<String> created = post("/domains", "{\"name\": \"Crud.Example\", \"description\": \"first\"}");

        assertThat(created.statusCode()).as("status of create: %s", created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).as("Location")
                .hasValueSatisfying(location -> assertThat(location).endsWith(API + "/domains/crud.example"));
        assertThat(created.headers().firstValue("ETag")).as("ETag").contains("\"1\"");
        assertThat(json(created).path("name").asText()).as("name folded to lower case").isEqualTo("crud.example");

        HttpResponse<String> updated = put("/domains/crud.example", "\"1\"", "{\"description\": \"second\"}");
        assertThat(updated.statusCode()).as("status of update: %s", updated.body()).isEqualTo(200);
        assertThat(updated.headers().firstValue("ETag")).as("ETag after update").contains("\"2\"");
        assertThat(json(get("/domains/crud.example")).path("description").asText()).isEqualTo("second");

        HttpResponse<String> deleted = delete("/domains/crud.example", "\"2\"");
        assertThat(deleted.statusCode()).as("status of delete: %s", deleted.body()).isEqualTo(204);
        HttpResponse<String> missing = get("/domains/crud.example");
        assertThat(missing.statusCode()).as("status of GET after delete").isEqualTo(404);
        assertError(missing, "not_found", null);
    }

    @Test
    void effectiveProfileShowsOverrideRemovalAndSources() {
        createDomain("acme.example");
        createDomain("east.acme.example");
        createDomain("plant1.east.acme.example");
        createNode("gw1", "plant1.east.acme.example", "gateway", "[]");
        putProfile("/domains/acme.example/profile", """
                {"pids": {"io.weft.mesh": {
                    "port": {"type": "long", "value": 8443},
                    "host": {"type": "string", "value": "mesh.acme.example"},
                    "debug": {"type": "boolean", "value": true},
                    "peers": {"type": "string[]", "value": ["a", "b"]}}}}""");
        putProfile("/domains/east.acme.example/profile", """
                {"pids": {"io.weft.mesh": {
                    "port": {"type": "long", "value": 9443},
                    "debug": {"remove": true}}}}""");
        putProfile("/nodes/gw1.plant1.east.acme.example/profile", """
                {"pids": {"io.weft.mesh": {"host": {"type": "string", "value": "gw1.local"}}}}""");

        HttpResponse<String> response = get("/nodes/gw1.plant1.east.acme.example/effective-profile");

        assertThat(response.statusCode()).as("status: %s", response.body()).isEqualTo(200);
        JsonNode effective = json(response);
        assertThat(effective.path("owner").asText()).isEqualTo("node:gw1.plant1.east.acme.example");
        JsonNode mesh = effective.path("pids").path("io.weft.mesh");
        assertThat(mesh.path("port").path("value").asLong()).as("overridden port").isEqualTo(9443);
        assertThat(mesh.path("port").path("type").asText()).isEqualTo("long");
        assertThat(mesh.path("port").path("source").asText()).isEqualTo("domain:east.acme.example");
        assertThat(mesh.path("host").path("value").asText()).isEqualTo("gw1.local");
        assertThat(mesh.path("host").path("source").asText()).isEqualTo("node:gw1.plant1.east.acme.example");
        assertThat(mesh.path("peers").path("value").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(mesh.path("peers").path("source").asText()).isEqualTo("domain:acme.example");
        assertThat(mesh.has("debug")).as("removed key among values").isFalse();
        JsonNode removal = effective.path("removals").path("io.weft.mesh").path("debug");
        assertThat(removal.path("removedBy").asText()).isEqualTo("domain:east.acme.example");
        assertThat(removal.path("removedValue").path("value").asBoolean()).isTrue();
        assertThat(removal.path("removedValue").path("source").asText()).isEqualTo("domain:acme.example");

        JsonNode domainLevel = json(get("/domains/plant1.east.acme.example/effective-profile"));
        assertThat(domainLevel.path("pids").path("io.weft.mesh").path("host").path("source").asText())
                .as("domain-level effective host").isEqualTo("domain:acme.example");
        JsonNode stored = json(get("/domains/east.acme.example/profile"));
        assertThat(stored.path("pids").path("io.weft.mesh").path("debug").toString()).isEqualTo("{\"remove\":true}");
    }

    @Test
    void nodeListFiltersAndPages() {
        createDomain("list.example");
        createDomain("a.list.example");
        createDomain("b.list.example");
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String domain = i % 2 == 0 ? "a.list.example" : "b.list.example";
            String name = String.format("n%02d", i);
            createNode(name, domain, i % 5 == 0 ? "gateway" : "edge", i % 3 == 0 ? "[\"gpu\", \"site.x\"]" : "[\"site.x\"]");
            all.add(name + "." + domain);
        }
        all.sort(null);
        HttpResponse<String> revoked = put("/nodes/n01.b.list.example/state", "\"1\"", "{\"state\": \"revoked\"}");
        assertThat(revoked.statusCode()).as("status of revoke: %s", revoked.body()).isEqualTo(200);

        assertThat(names("/nodes?domain=list.example&limit=1000")).as("subtree").isEqualTo(all);
        assertThat(names("/nodes?domain=a.list.example&limit=1000")).as("subtree a").hasSize(13)
                .allMatch(name -> name.endsWith(".a.list.example"));
        assertThat(names("/nodes?domain=list.example&tag=gpu&limit=1000")).as("tag gpu").hasSize(9);
        assertThat(names("/nodes?domain=list.example&tag=gpu&tag=SITE.X&limit=1000")).as("tags gpu and site.x").hasSize(9);
        assertThat(names("/nodes?domain=list.example&role=gateway&limit=1000")).as("gateways").hasSize(5);
        assertThat(names("/nodes?domain=list.example&state=revoked")).as("revoked").containsExactly("n01.b.list.example");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/nodes?domain=list.example&limit=10" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.path("items").forEach(node -> paged.add(node.path("fullName").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).as("pages of 10 for 25 nodes").isEqualTo(3);
        assertThat(paged).as("nodes over all pages").isEqualTo(all);
        assertRejected(get("/nodes?domain=list.example&cursor=n05.a.list.example"), 400, "invalid_field", "cursor");
        assertRejected(get("/domains?cursor=c1.%21%21"), 400, "invalid_field", "cursor");
    }

    @Test
    void ifMatchAnyChangesCurrentVersion() {
        createDomain("any.example");
        assertThat(put("/domains/any.example", "\"1\"", "{\"description\": \"v2\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> any = put("/domains/any.example", "*", "{\"description\": \"v3\"}");

        assertThat(any.statusCode()).as("status with If-Match: * (%s)", any.body()).isEqualTo(200);
        assertThat(any.headers().firstValue("ETag")).contains("\"3\"");
        assertRejected(put("/domains/any.example", "W/\"3\"", "{\"description\": \"v4\"}"), 412,
                "precondition_failed", "If-Match");
        assertRejected(put("/domains/any.example", "3", "{\"description\": \"v4\"}"), 400, "invalid_field",
                "If-Match");
        HttpResponse<String> listed = put("/domains/any.example", "\"9\", \"3\"", "{\"description\": \"v4\"}");
        assertThat(listed.statusCode()).as("status with a list that has the current ETag (%s)", listed.body())
                .isEqualTo(200);
        assertThat(delete("/domains/any.example", "*").statusCode()).as("status of delete with *").isEqualTo(204);
    }

    @Test
    void ifMatchAnyOnMissingProfileIs412() {
        createDomain("noprofile.example");

        HttpResponse<String> any = put("/domains/noprofile.example/profile", "*", "{\"pids\": {}}");

        assertRejected(any, 412, "precondition_failed", "If-Match");
        assertThat(get("/domains/noprofile.example/profile").statusCode()).as("status of the profile after the 412")
                .isEqualTo(404);
        assertRejected(put("/domains/missing.noprofile.example/profile", "*", "{\"pids\": {}}"), 404, "not_found",
                null);
        HttpResponse<String> created = put("/domains/noprofile.example/profile", null, "{\"pids\": {}}");
        assertThat(created.statusCode()).as("status of create without If-Match (%s)", created.body()).isEqualTo(201);
        assertThat(put("/domains/noprofile.example/profile", "*", "{\"pids\": {}}").statusCode())
                .as("status of update with If-Match: * once the profile exists").isEqualTo(200);
    }

    @Test
    void unknownQueryParameterIs400() {
        HttpResponse<String> typo = get("/nodes?rol=gateway");
        HttpResponse<String> unpaged = get("/operators?cursor=c1.eA");

        assertRejected(typo, 400, "invalid_field", "rol");
        assertThat(json(typo).path("message").asText()).as("message").contains("role");
        assertRejected(unpaged, 400, "invalid_field", "cursor");
        assertThat(json(unpaged).path("message").asText()).as("message").contains("takes no query parameters");
    }

    @Test
    void invalidPercentEncodingIs400() throws JsonProcessingException {
        // java.net.URI rejects these targets, so they go out in a request line of their own.
        WeftHttpClient.RawResponse cursor = manager.https().getRaw(API + "/flows?cursor=%%%", authorization);
        WeftHttpClient.RawResponse name = manager.https().getRaw(API + "/nodes?%zz=1", authorization);

        assertThat(cursor.status()).as("status of ?cursor=%%%%%%: %s", cursor.body()).isEqualTo(400);
        JsonNode cursorError = MAPPER.readTree(cursor.body());
        assertThat(cursorError.path("error").asText()).isEqualTo("invalid_field");
        assertThat(cursorError.path("field").asText()).isEqualTo("cursor");
        assertThat(cursorError.path("message").asText()).as("message").contains("'%%%'").contains("%25");
        assertThat(name.status()).as("status of ?%%zz=1: %s", name.body()).isEqualTo(400);
        assertThat(MAPPER.readTree(name.body()).path("field").asText()).isEqualTo("%zz");
    }

    @Test
    void invalidCursorIs400OnEveryList() {
        for (String list : List.of("/domains", "/nodes", "/audit", "/flows")) {
            HttpResponse<String> response = get(list + "?cursor=not-a-cursor");

            assertRejected(response, 400, "invalid_field", "cursor");
            assertThat(json(response).path("message").asText()).as("message of %s", list).contains("nextCursor");
        }
    }

    @Test
    void staleIfMatchIs412AndMissingIs428() {
        createDomain("etag.example");
        assertThat(put("/domains/etag.example", "\"1\"", "{\"description\": \"v2\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> stale = put("/domains/etag.example", "\"1\"", "{\"description\": \"lost\"}");
        HttpResponse<String> missing = put("/domains/etag.example", null, "{\"description\": \"lost\"}");

        assertThat(stale.statusCode()).as("status with a stale If-Match").isEqualTo(412);
        assertError(stale, "stale_version", "If-Match");
        assertThat(stale.headers().firstValue("ETag")).as("current ETag").contains("\"2\"");
        assertThat(missing.statusCode()).as("status without If-Match").isEqualTo(428);
        assertError(missing, "precondition_required", "If-Match");
        assertThat(json(get("/domains/etag.example")).path("description").asText()).isEqualTo("v2");
    }

    @Test
    void concurrentUpdatesExactlyOneWins() throws Exception {
        createDomain("race.example");
        createNode("r1", "race.example", "edge", "[]");
        CountDownLatch start = new CountDownLatch(1);
        Callable<Integer> update = () -> {
            start.await();
            return put("/nodes/r1.race.example", "\"1\"", "{\"role\": \"gateway\"}").statusCode();
        };

        Future<Integer> first = executor.submit(update);
        Future<Integer> second = executor.submit(update);
        start.countDown();

        List<Integer> statuses = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        assertThat(statuses).as("statuses of two updates from version 1").containsExactlyInAnyOrder(200, 412);
        assertThat(json(get("/nodes/r1.race.example")).path("version").asLong()).isEqualTo(2);
    }

    @Test
    void badInputIsRejectedWithFieldAndRule() {
        createDomain("bad.example");
        createNode("b1", "bad.example", "edge", "[]");
        String label64 = "a".repeat(64);

        assertRejected(post("/domains", "{\"name\": \"x.example\""), 400, "malformed_json", null);
        assertRejected(post("/domains", "{\"name\": \"x.example\", \"nmae\": 1}"), 400, "unknown_field", "nmae");
        assertRejected(post("/domains", "{\"name\": \"bad_name.example\"}"), 400, "invalid_field", "name");
        assertRejected(post("/domains", "{\"name\": \"" + label64 + ".example\"}"), 400, "invalid_field", "name");
        assertRejected(post("/domains", "{\"name\": \"x.example\", \"description\": 5}"), 400, "invalid_type",
                "description");
        assertRejected(post("/domains", "{\"name\": \"big.example\", \"description\": \"" + "d".repeat(1_100_000)
                + "\"}"), 413, "body_too_large", null);
        assertRejected(post("/domains", "{\"name\": \"x.example\", \"description\": \"" + "d".repeat(1001) + "\"}"),
                400, "invalid_field", "description");
        assertRejected(post("/nodes", "{\"name\": \"" + label64 + "\", \"domain\": \"bad.example\", \"role\": \"edge\"}"),
                400, "invalid_field", "name");
        assertRejected(post("/nodes", "{\"name\": \"b2\", \"domain\": \"bad.example\", \"role\": \"router\"}"),
                400, "invalid_field", "role");
        assertRejected(post("/nodes", "{\"name\": \"b2\", \"domain\": \"bad.example\", \"role\": \"edge\","
                + " \"tags\": [\"no spaces\"]}"), 400, "invalid_field", "tags");
        assertRejected(post("/nodes", "{\"name\": \"b1\", \"domain\": \"bad.example\", \"role\": \"edge\"}"),
                409, "conflict", null);
        assertRejected(post("/nodes", "{\"name\": \"b2\", \"domain\": \"none.example\", \"role\": \"edge\"}"),
                404, "not_found", null);
        assertRejected(get("/nodes?limit=0"), 400, "invalid_field", "limit");
        assertRejected(get("/nodes?role=router"), 400, "invalid_field", "role");
        assertRejected(get("/nodes/no-domain"), 400, "invalid_field", "node");
        assertThat(put("/nodes/b1.bad.example/state", "\"1\"", "{\"state\": \"revoked\"}").statusCode())
                .as("status of revoking b1").isEqualTo(200);
        assertRejected(put("/nodes/b1.bad.example/state", "\"2\"", "{\"state\": \"enrolled\"}"), 409, "conflict", null);
        assertRejected(putProfileResponse("/domains/bad.example/profile",
                "{\"pids\": {\"bad pid\": {\"k\": {\"type\": \"long\", \"value\": 1}}}}"),
                400, "invalid_field", "pids[\"bad pid\"]");
        assertRejected(putProfileResponse("/domains/bad.example/profile",
                "{\"pids\": {\"io.weft.mesh\": {\"port\": {\"type\": \"long\", \"value\": \"8443\"}}}}"),
                400, "invalid_field", "pids[\"io.weft.mesh\"][\"port\"].value");
        assertRejected(putProfileResponse("/domains/bad.example/profile",
                "{\"pids\": {\"io.weft.mesh\": {\"port\": {\"type\": \"int\", \"value\": 1}}}}"),
                400, "invalid_field", "pids[\"io.weft.mesh\"][\"port\"].type");
        assertRejected(putProfileResponse("/domains/bad.example/profile",
                "{\"pids\": {\"io.weft.mesh\": {\"service.pid\": {\"type\": \"string\", \"value\": \"x\"}}}}"),
                400, "invalid_field", "pids[\"io.weft.mesh\"][\"service.pid\"]");
        assertRejected(putProfileResponse("/domains/bad.example/profile",
                "{\"pids\": {\"io.weft.mesh\": {\"port\": {\"type\": \"long\", \"value\": 1, \"unit\": \"s\"}}}}"),
                400, "unknown_field", null);
        assertThat(get("/domains/bad.example/profile").statusCode()).as("no profile was stored").isEqualTo(404);
    }

    @Test
    void sqlLookingTextIsStoredVerbatim() {
        String description = "x'); DROP TABLE weft_domain; -- \" OR 1=1";
        HttpResponse<String> created = post("/domains", "{\"name\": \"sql.example\", \"description\": "
                + quote(description) + "}");

        assertThat(created.statusCode()).as("status: %s", created.body()).isEqualTo(201);
        assertThat(json(get("/domains/sql.example")).path("description").asText()).isEqualTo(description);
        assertThat(get("/domains?subtree=sql.example").statusCode()).as("domains still listed").isEqualTo(200);
        assertRejected(get("/nodes?domain=x'%20OR%201=1"), 400, "invalid_field", "domain");
    }

    @Test
    void deletingNonEmptyDomainIsConflict() {
        createDomain("full.example");
        createDomain("sub.full.example");

        HttpResponse<String> response = delete("/domains/full.example", "\"1\"");

        assertThat(response.statusCode()).as("status").isEqualTo(409);
        JsonNode error = assertError(response, "conflict", null);
        assertThat(error.path("message").asText()).as("message").contains("full.example").contains("not empty");
        assertThat(get("/domains/full.example").statusCode()).as("domain still there").isEqualTo(200);
    }

    @Test
    void readinessShowsFleetComponentsActive() {
        ReadinessReport report = manager.readiness();

        assertThat(report.ready()).as("ready; problems: %s", report.problems()).isTrue();
        assertThat(report.components()).as("components of %s", API_BUNDLE)
                .filteredOn(component -> component.bundle().equals(API_BUNDLE))
                .extracting(ReadinessReport.Component::component)
                .containsExactlyInAnyOrder(
                        "io.weft.manager.api.internal.access.AccessService",
                        "io.weft.manager.api.internal.access.AuthenticationFilter",
                        "io.weft.manager.api.internal.access.FirstAdminAccount",
                        "io.weft.manager.api.internal.audit.AuditTrail",
                        "io.weft.manager.api.internal.audit.AuditLogService",
                        "io.weft.manager.api.internal.fleet.DomainService",
                        "io.weft.manager.api.internal.fleet.NodeService",
                        "io.weft.manager.api.internal.fleet.ProfileService",
                        "io.weft.manager.api.internal.fleet.EnrollmentService",
                        "io.weft.manager.api.internal.fleet.NodeControlReader",
                        "io.weft.manager.api.internal.resources.EnrollmentResource",
                        "io.weft.manager.api.internal.resources.EnrollResource",
                        "io.weft.manager.api.internal.resources.RevocationResource",
                        "io.weft.manager.api.internal.resources.PkiResource",
                        "io.weft.manager.api.internal.resources.AuditResource",
                        "io.weft.manager.api.internal.resources.DomainResource",
                        "io.weft.manager.api.internal.resources.NodeResource",
                        "io.weft.manager.api.internal.resources.OperatorResource",
                        "io.weft.manager.api.internal.resources.TokenResource",
                        "io.weft.manager.api.internal.fleet.FlowService",
                        "io.weft.manager.api.internal.resources.FlowResource",
                        "io.weft.manager.api.internal.apps.ApiClientTokenService",
                        "io.weft.manager.api.internal.resources.ApiClientTokenResource");
        assertThat(report.components()).as("components")
                .allSatisfy(component -> assertThat(component.state()).as("state of %s", component.component())
                        .isIn("active", "satisfied"));
    }

    private void createDomain(String name) {
        HttpResponse<String> response = post("/domains", "{\"name\": \"" + name + "\"}");
        assertThat(response.statusCode()).as("status of creating domain %s: %s", name, response.body()).isEqualTo(201);
    }

    private void createNode(String name, String domain, String role, String tags) {
        HttpResponse<String> response = post("/nodes", "{\"name\": \"" + name + "\", \"domain\": \"" + domain
                + "\", \"role\": \"" + role + "\", \"tags\": " + tags + "}");
        assertThat(response.statusCode()).as("status of creating node %s.%s: %s", name, domain, response.body())
                .isEqualTo(201);
    }

    private void putProfile(String path, String body) {
        HttpResponse<String> response = putProfileResponse(path, body);
        assertThat(response.statusCode()).as("status of PUT %s: %s", path, response.body()).isEqualTo(201);
    }

    private HttpResponse<String> putProfileResponse(String path, String body) {
        return put(path, null, body);
    }

    private List<String> names(String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("status of GET %s: %s", path, response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json(response).path("items").forEach(node -> names.add(node.path("fullName").asText()));
        return names;
    }

    private static void assertRejected(HttpResponse<String> response, int status, String code, String field) {
        assertThat(response.statusCode()).as("status of %s %s: %s", response.request().method(), response.uri(),
                abbreviate(response.body())).isEqualTo(status);
        JsonNode error = assertError(response, code, field);
        assertThat(error.path("message").asText()).as("message").isNotBlank().doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    /** Checks the error body: exactly error, message and field, and field only when expected is not null. */
    private static JsonNode assertError(HttpResponse<String> response, String code, String field) {
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type")
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = json(response);
        List<String> names = new ArrayList<>();
        error.fieldNames().forEachRemaining(names::add);

        assertThat(names).as("fields of the error body %s", response.body())
                .containsExactlyInAnyOrder("error", "message", "field");
        assertThat(error.path("error").asText()).as("error of %s", response.body()).isEqualTo(code);
        if (field != null) {
            assertThat(error.path("field").asText()).as("field of %s", response.body()).isEqualTo(field);
        }
        return error;
    }

    private HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    private HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> put(String path, String ifMatch, String body) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request);
    }

    private HttpResponse<String> delete(String path, String ifMatch) {
        return send(request(path).header("If-Match", ifMatch).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(manager.https().uri(API + path)).header("Accept", "application/json")
                .header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        try {
            return manager.https().client().send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(built.method() + " " + built.uri() + " was interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("The body of " + response.uri() + " is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
