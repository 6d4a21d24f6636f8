package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
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
 * Authentication, authorization and the audit log of the manager's REST API, as a client uses
 * them. The tests cover the first admin's password file, 401 for missing or wrong credentials
 * and 429 after repeated failures. They also cover API tokens until they are revoked, an admin
 * scoped to one subtree, and the audit entries of changes with an intact hash chain.
 *
 * <p>All tests share one manager. The throttle counts failures per client address as well,
 * and every request comes from 127.0.0.1, so the test that provokes 429 runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class ManagerAccessIT {

    /** File in the installation's etc folder to which the manager writes the first admin's password. */
    static final String ADMIN_PASSWORD_FILE = "weft-api-admin.password";

    private static final String API = "/api/v1";
    private static final String ADMIN = "admin";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Failed logins before the throttle blocks, plus margin; LoginThrottle allows 5. */
    private static final int MAX_FAILURES_BEFORE_429 = 10;
    private static final String SCOPED_PASSWORD = "east admin password 1";


    private WeftInstallation manager;

    @BeforeAll
    void startManager(WeftInstallations installations) {
        manager = installations.start(Distribution.MANAGER);
    }

    /** Returns the Authorization header of the first admin, with the password the manager wrote at its first start. */
    static String adminAuthorization(WeftInstallation manager) {
        Path file = manager.etc().resolve(ADMIN_PASSWORD_FILE);
        try {
            return basic(ADMIN, Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the first admin's password from " + file, e);
        }
    }

    @Test
    @Order(1)
    void adminPasswordFileIsOwnerOnly() throws IOException {
        Path file = manager.etc().resolve(ADMIN_PASSWORD_FILE);

        assertThat(Files.getPosixFilePermissions(file)).as("permissions of %s", file)
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(manager.karafLog())).as("karaf.log")
                .contains(file.getFileName().toString())
                .doesNotContain(Files.readString(file, StandardCharsets.UTF_8).strip());
    }

    @Test
    @Order(2)
    void publicDocumentsNeedNoCredentials() {
        assertThat(send(request(API).GET()).statusCode()).as("status of GET %s", API).isEqualTo(200);
        assertThat(send(request(API + "/openapi.json").GET()).statusCode()).as("status of GET openapi.json")
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void missingCredentialsGet401WithChallenges() {
        List<HttpResponse<String>> responses = List.of(
                send(request(API + "/domains").GET()),
                send(request(API + "/no-such-resource").GET()),
                send(request(API + "/domains").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"anonymous.example\"}"))));

        for (HttpResponse<String> response : responses) {
            assertUnauthorized(response);
        }
    }

    @Test
    @Order(4)
    void failedLoginsGetDistinct401Messages() {
        HttpResponse<String> missing = send(request(API + "/domains").GET());
        HttpResponse<String> malformed = send(request(API + "/domains").header("Authorization", "Basic !!!").GET());
        HttpResponse<String> wrongPassword = send(request(API + "/domains")
                .header("Authorization", basic(ADMIN, "not-the-password")).GET());
        HttpResponse<String> unknownUser = send(request(API + "/domains")
                .header("Authorization", basic("no-such-operator", "not-the-password")).GET());
        HttpResponse<String> unknownToken = send(request(API + "/domains")
                .header("Authorization", "Bearer weft_0123456789abcdef_" + "A".repeat(43)).GET());

        for (HttpResponse<String> response : List.of(missing, malformed, wrongPassword, unknownUser, unknownToken)) {
            assertUnauthorized(response);
        }
        assertThat(message(missing)).as("message without credentials").contains("authentication required");
        assertThat(message(malformed)).as("message for a malformed header").contains("malformed Authorization");
        assertThat(message(wrongPassword)).as("message for a wrong password").contains("invalid user name or password");
        assertThat(message(unknownUser)).as("message for an unknown user, which must not reveal that it is unknown")
                .isEqualTo(message(wrongPassword));
        assertThat(message(unknownToken)).as("message for an unknown token").contains("invalid API token");
    }

    @Test
    @Order(5)
    void auditRecordsChangesAndVerifiesIntact() {
        HttpResponse<String> created = send(authorized(API + "/domains").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"audited.example\", \"description\": \"a\"}")));
        assertThat(created.statusCode()).as("status of create: %s", created.body()).isEqualTo(201);
        HttpResponse<String> updated = send(authorized(API + "/domains/audited.example")
                .header("Content-Type", "application/json").header("If-Match", "\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"description\": \"b\"}")));
        assertThat(updated.statusCode()).as("status of update: %s", updated.body()).isEqualTo(200);
        HttpResponse<String> deleted = send(authorized(API + "/domains/audited.example").header("If-Match", "\"2\"")
                .DELETE());
        assertThat(deleted.statusCode()).as("status of delete: %s", deleted.body()).isEqualTo(204);

        HttpResponse<String> listed = send(authorized(API + "/audit?target=audited.example").GET());

        assertThat(listed.statusCode()).as("status of the audit listing: %s", listed.body()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        for (JsonNode entry : json(listed).path("items")) {
            actions.add(entry.path("action").asText());
            assertThat(entry.path("actor").asText()).as("actor of %s", entry).isEqualTo(ADMIN);
            assertThat(entry.path("remoteAddress").asText()).as("remote address of %s", entry).isEqualTo("127.0.0.1");
        }
        assertThat(actions).containsExactly("domain.create", "domain.update", "domain.delete");
        JsonNode update = json(listed).path("items").path(1);
        assertThat(json(update.path("before").asText()).path("description").asText()).as("before").isEqualTo("a");
        assertThat(json(update.path("after").asText()).path("description").asText()).as("after").isEqualTo("b");
    }

    @Test
    @Order(6)
    void auditExportAndVerifyCoverWholeLog() {
        HttpResponse<String> exported = send(authorized(API + "/audit/export").GET());
        HttpResponse<String> verified = send(authorized(API + "/audit/verify").GET());

        assertThat(exported.statusCode()).as("status of export").isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Type")).as("Content-Type of export")
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
        List<String> lines = exported.body().lines().toList();
        assertThat(lines).as("exported lines").isNotEmpty();
        assertThat(json(lines.get(0)).path("action").asText()).as("first entry").isEqualTo("operator.create");
        assertThat(verified.statusCode()).as("status of verify: %s", verified.body()).isEqualTo(200);
        JsonNode verification = json(verified);
        assertThat(verification.path("intact").asBoolean()).as("intact: %s", verified.body()).isTrue();
        assertThat(verification.path("entriesChecked").asLong()).as("entries checked").isEqualTo(lines.size());
        assertThat(verification.path("firstBroken").isNull()).as("firstBroken is null").isTrue();
    }

    @Test
    @Order(7)
    void auditFilterWithInvalidTimeIs400() {
        HttpResponse<String> response = send(authorized(API + "/audit?from=yesterday").GET());

        assertThat(response.statusCode()).as("status: %s", response.body()).isEqualTo(400);
        assertThat(json(response).path("field").asText()).as("field").isEqualTo("from");
    }

    @Test
    @Order(8)
    void tokenWorksUntilRevoked() {
        HttpResponse<String> issued = send(authorized(API + "/tokens").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expiresAt\": \"" + Instant.now().plus(Duration.ofDays(1))
                        + "\"}")));
        assertThat(issued.statusCode()).as("status of issue: %s", issued.body()).isEqualTo(201);
        assertThat(issued.headers().firstValue("Cache-Control")).as("Cache-Control").hasValueSatisfying(
                value -> assertThat(value).contains("no-store"));
        String token = json(issued).path("token").asText();
        String id = json(issued).path("details").path("id").asText();

        HttpResponse<String> withToken = send(request(API + "/domains").header("Authorization", "Bearer " + token).GET());
        HttpResponse<String> revoked = send(authorized(API + "/tokens/" + id).DELETE());
        HttpResponse<String> afterRevoke = send(request(API + "/domains").header("Authorization", "Bearer " + token)
                .GET());

        assertThat(withToken.statusCode()).as("status with the token: %s", withToken.body()).isEqualTo(200);
        assertThat(revoked.statusCode()).as("status of revoke: %s", revoked.body()).isEqualTo(204);
        assertUnauthorized(afterRevoke);
        HttpResponse<String> listed = send(authorized(API + "/tokens").GET());
        assertThat(listed.body()).as("token listing").doesNotContain(token);
    }

    @Test
    @Order(9)
    void scopedOperatorCannotSeeOrChangeOtherSubtree() {
        for (String domain : List.of("east.scoped.example", "west.scoped.example")) {
            HttpResponse<String> created = send(authorized(API + "/domains").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + domain + "\"}")));
            assertThat(created.statusCode()).as("status of create %s: %s", domain, created.body()).isEqualTo(201);
        }
        HttpResponse<String> operator = send(authorized(API + "/operators").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "east-admin", "password": "%s",
                         "grants": [{"role": "admin", "scope": "east.scoped.example"}]}""".formatted(SCOPED_PASSWORD))));
        assertThat(operator.statusCode()).as("status of operator create: %s", operator.body()).isEqualTo(201);
        String eastAdmin = basic("east-admin", SCOPED_PASSWORD);

        HttpResponse<String> listed = send(request(API + "/domains").header("Authorization", eastAdmin).GET());
        HttpResponse<String> readWest = send(request(API + "/domains/west.scoped.example")
                .header("Authorization", eastAdmin).GET());
        HttpResponse<String> deleteWest = send(request(API + "/domains/west.scoped.example")
                .header("Authorization", eastAdmin).header("If-Match", "\"1\"").DELETE());
        HttpResponse<String> createInEast = send(request(API + "/domains").header("Authorization", eastAdmin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"plant1.east.scoped.example\"}")));

        List<String> names = new ArrayList<>();
        json(listed).path("items").forEach(item -> names.add(item.path("name").asText()));
        assertThat(names).as("domains the east admin lists")
                .containsExactly("east.scoped.example");
        assertForbidden(readWest);
        assertForbidden(deleteWest);
        assertThat(createInEast.statusCode()).as("status of a create in the own subtree: %s", createInEast.body())
                .isEqualTo(201);
        HttpResponse<String> audit = send(authorized(API + "/audit?actor=east-admin").GET());
        assertThat(json(audit).path("items").path(0).path("action").asText()).as("audited change of the east admin")
                .isEqualTo("domain.create");

        HttpResponse<String> otherAccount = send(request(API + "/operators/admin").header("Authorization", eastAdmin).GET());
        HttpResponse<String> noAccount = send(request(API + "/operators/nobody").header("Authorization", eastAdmin).GET());
        assertThat(otherAccount.statusCode()).as("status of reading an account outside the scope").isEqualTo(404);
        assertThat(json(otherAccount).path("message").asText().replace("'admin'", "'X'"))
                .as("message for an existing account outside the scope")
                .isEqualTo(json(noAccount).path("message").asText().replace("'nobody'", "'X'"));
    }

    @Test
    @Order(10)
    void grantWithoutScopeIsRejected() {
        HttpResponse<String> response = send(authorized(API + "/operators").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "unscoped", "password": "%s", "grants": [{"role": "viewer"}]}"""
                        .formatted(SCOPED_PASSWORD))));

        assertThat(response.statusCode()).as("status: %s", response.body()).isEqualTo(400);
        assertThat(json(response).path("field").asText()).isEqualTo("grants[0].scope");
        assertThat(json(response).path("message").asText()).contains("\"*\"");
    }

    @Test
    @Order(100)
    void repeatedFailuresGet429WithRetryAfter() {
        HttpResponse<String> response = null;
        int attempts = 0;
        while (attempts < MAX_FAILURES_BEFORE_429) {
            attempts++;
            response = send(request(API + "/domains").header("Authorization", basic("guesser", "wrong")).GET());
            if (response.statusCode() != 401) {
                break;
            }
        }

        assertThat(response.statusCode()).as("status after %d failed logins: %s", attempts, response.body())
                .isEqualTo(429);
        assertThat(json(response).path("error").asText()).as("error").isEqualTo("too_many_requests");
        assertThat(message(response)).as("message").contains("too many failed password logins")
                .contains("Retry-After");
        assertThat(response.headers().firstValue("Retry-After")).as("Retry-After")
                .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        HttpResponse<String> colleague = send(authorized(API + "/domains").GET());
        assertThat(colleague.statusCode()).as("status of another user from the same address").isEqualTo(200);
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s %s: %s", response.request().method(), response.uri(),
                response.body()).isEqualTo(403);
        assertThat(json(response).path("error").asText()).as("error").isEqualTo("forbidden");
        assertThat(json(response).path("message").asText()).as("message").contains("east-admin").contains("admin");
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s %s", response.request().method(), response.uri())
                .isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).as("WWW-Authenticate of %s", response.uri())
                .isNotEmpty()
                .anySatisfy(value -> assertThat(value).contains("Basic realm=\"weft\""))
                .anySatisfy(value -> assertThat(value).contains("Bearer realm=\"weft\""));
        assertThat(json(response).path("error").asText()).as("error of %s", response.body()).isEqualTo("unauthorized");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(manager.https().uri(path)).header("Accept", "application/json, */*");
    }

    private HttpRequest.Builder authorized(String path) {
        return request(path).header("Authorization", adminAuthorization(manager));
    }

    private static String message(HttpResponse<String> response) {
        return json(response).path("message").asText();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + text, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        try {
            return manager.https().client().send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + built.method() + " " + built.uri(), e);
        }
    }
}
