package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.HarnessSettings;
import io.weft.systemtest.harness.ReadinessReport;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The manager's REST API under /api/v1 as a client sees it: the API root, the OpenAPI
 * document, and the JSON error body for unknown paths, wrong methods and media types.
 *
 * <p>All tests share one manager, started once for the class; none of them changes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WeftSystemTestExtension.class)
class ManagerRestApiIT {

    private static final String API = "/api/v1";
    private static final String REST_BUNDLE = "io.weft.manager.rest";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();


    private WeftInstallation manager;

    @BeforeAll
    void startManager(WeftInstallations installations) {
        manager = installations.start(Distribution.MANAGER);
    }

    @Test
    void apiRootDescribesApi() {
        HttpResponse<String> response = manager.https().get(API);

        assertThat(response.statusCode()).as("status of GET %s", API).isEqualTo(200);
        assertJsonContentType(response);
        JsonNode root = json(response);
        assertThat(root.path("name").asText()).as("name").isEqualTo("Weft manager API");
        assertThat(root.path("apiVersion").asText()).as("apiVersion").isEqualTo("v1");
        assertThat(root.path("weftVersion").asText()).as("weftVersion").isEqualTo(HarnessSettings.expectedVersion());
        assertThat(root.path("links").path("self").asText()).as("links.self").isEqualTo(API);
        assertThat(root.path("links").path("openapi").asText()).as("links.openapi").isEqualTo(API + "/openapi.json");
    }

    @Test
    void openApiDocumentParses() {
        HttpResponse<String> response = manager.https().get(API + "/openapi.json");

        assertThat(response.statusCode()).as("status of GET %s/openapi.json", API).isEqualTo(200);
        assertJsonContentType(response);
        JsonNode document = json(response);
        assertThat(document.path("openapi").asText()).as("openapi").startsWith("3.0.");
        assertThat(document.path("servers").path(0).path("url").asText()).as("servers[0].url").isEqualTo(API);
        assertThat(document.path("paths").has("/")).as("paths has /").isTrue();
        assertThat(document.path("paths").has("/openapi.json")).as("paths has /openapi.json").isTrue();
    }

    @Test
    void everyDocumentedGetWithoutParametersAnswers200() {
        JsonNode paths = json(manager.https().get(API + "/openapi.json")).path("paths");
        String authorization = ManagerAccessIT.adminAuthorization(manager);
        List<String> checked = new ArrayList<>();

        paths.fields().forEachRemaining(path -> {
            if (path.getValue().has("get") && !path.getKey().contains("{")) {
                String uri = API + path.getKey();
                HttpResponse<String> response = send(HttpRequest.newBuilder(manager.https().uri(uri))
                        .header("Authorization", authorization).GET());
                assertThat(response.statusCode()).as("status of GET %s: %s", uri, response.body()).isEqualTo(200);
                checked.add(uri);
            }
        });

        assertThat(checked).as("documented GET paths without parameters").isNotEmpty();
    }

    @Test
    void unknownPathIsJson404() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(manager.https().uri(API + "/no-such-resource"))
                .header("Authorization", ManagerAccessIT.adminAuthorization(manager)).GET());

        assertThat(response.statusCode()).as("status").isEqualTo(404);
        assertError(response, "not_found", "no resource at /api/v1/no-such-resource", null);
    }

    @Test
    void wrongMethodIsJson405() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(manager.https().uri(API))
                .header("Authorization", ManagerAccessIT.adminAuthorization(manager)).DELETE());

        assertThat(response.statusCode()).as("status of DELETE %s", API).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).as("Allow").hasValueSatisfying(
                allow -> assertThat(allow.split(",\\s*")).contains("GET"));
        JsonNode error = assertError(response, "method_not_allowed", null, null);
        assertThat(error.path("message").asText()).as("message").startsWith("method DELETE is not allowed on /api/v1");
    }

    @Test
    void acceptWithoutJsonIsJson406() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(manager.https().uri(API))
                .header("Accept", "text/html").GET());

        assertThat(response.statusCode()).as("status of GET %s with Accept: text/html", API).isEqualTo(406);
        assertError(response, "not_acceptable", null, "Accept");
    }

    @Test
    void wrongContentTypeNamesExpectedType() {
        HttpResponse<String> upload = send(HttpRequest.newBuilder(manager.https().uri(API + "/apps"))
                .header("Authorization", ManagerAccessIT.adminAuthorization(manager))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> domain = send(HttpRequest.newBuilder(manager.https().uri(API + "/domains"))
                .header("Authorization", ManagerAccessIT.adminAuthorization(manager))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x.example")));

        assertThat(upload.statusCode()).as("status of an app upload as JSON").isEqualTo(415);
        assertError(upload, "unsupported_media_type", "Content-Type application/json is not supported by POST"
                + " /api/v1/apps; send application/java-archive or application/octet-stream", "Content-Type");
        assertThat(domain.statusCode()).as("status of a domain as text").isEqualTo(415);
        assertError(domain, "unsupported_media_type", "Content-Type text/plain is not supported by POST"
                + " /api/v1/domains; send application/json", "Content-Type");
    }

    @Test
    void plainHttpApiIsRejected() {
        HttpResponse<String> response = manager.http().get(API + "/domains");

        assertThat(response.statusCode()).as("status of the API over plain HTTP").isEqualTo(403);
        JsonNode error = assertError(response, "forbidden", null, null);
        assertThat(error.path("message").asText()).startsWith("the REST API is served over HTTPS only");
    }

    @Test
    void noJaxRsServletOutsideApi() {
        for (String path : List.of("/cxf", "/no-such-page")) {
            HttpResponse<String> response = manager.http().get(path);

            assertThat(response.statusCode()).as("status of GET %s", path).isEqualTo(404);
            assertThat(response.body()).as("body of GET %s", path)
                    .doesNotContain("CXF").doesNotContain("No service was found");
        }
    }

    /**
     * A client that declares a body over the limit gets 413 and a closed connection after the
     * first bytes, without sending the rest. A client without credentials gets 401 the same way.
     */
    @Test
    void declaredOversizedBodyIsAnsweredWithoutReadingIt() throws IOException {
        String head = "POST " + API + "/domains HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        String authorized = head + "Authorization: " + ManagerAccessIT.adminAuthorization(manager) + "\r\n";

        String tooLarge = exchangeWithPartialBody(authorized + "Content-Length: 50000000\r\n\r\n");
        String beyondInt = exchangeWithPartialBody(authorized + "Content-Length: 3000000000\r\n\r\n");
        String anonymous = exchangeWithPartialBody(head + "Content-Length: 900000\r\n\r\n");

        assertThat(tooLarge).as("response to a 50 MB body").startsWith("HTTP/1.1 413").contains("Connection: close")
                .contains("\"error\":\"body_too_large\"");
        assertThat(beyondInt).as("response to a 3 GB body, beyond the int range").startsWith("HTTP/1.1 413")
                .contains("Connection: close").contains("of 3000000000 bytes");
        assertThat(anonymous).as("response to a body without credentials").startsWith("HTTP/1.1 401")
                .contains("Connection: close");
    }

    /**
     * Sends the request head and the first bytes of the body, then reads the response until
     * the server closes the connection. If the server waits for the rest of the body, the
     * socket timeout fails the test.
     */
    private String exchangeWithPartialBody(String requestHead) throws IOException {
        URI uri = manager.https().uri(API);
        try (Socket socket = manager.https().client().sslContext().getSocketFactory().createSocket(uri.getHost(),
                uri.getPort())) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((requestHead + "{\"name\": ").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readinessShowsRestComponentsActive() {
        ReadinessReport report = manager.readiness();

        assertThat(report.ready()).as("ready; problems: %s", report.problems()).isTrue();
        assertThat(report.components()).as("components of %s", REST_BUNDLE)
                .filteredOn(component -> component.bundle().equals(REST_BUNDLE))
                .extracting(ReadinessReport.Component::component)
                .containsExactlyInAnyOrder(
                        "io.weft.manager.rest.internal.WeftApiApplication",
                        "io.weft.manager.rest.internal.json.StrictJsonProvider",
                        "io.weft.manager.rest.internal.body.RequestBodyLimit",
                        "io.weft.manager.rest.internal.query.QueryParameterCheck",
                        "io.weft.manager.rest.internal.errors.ErrorMapper",
                        "io.weft.manager.rest.internal.errors.WebApplicationErrorMapper",
                        "io.weft.manager.rest.internal.resources.ApiRootResource",
                        "io.weft.manager.rest.internal.readiness.ApiReadinessCheck",
                        "io.weft.manager.rest.internal.resources.OpenApiResource");
        assertThat(report.components()).as("components")
                .allSatisfy(component -> assertThat(component.state()).as("state of %s", component.component())
                        .isIn("active", "satisfied"));
    }

    /** Checks the error body: exactly the fields error, message and field; null expectations are not compared. */
    private static JsonNode assertError(HttpResponse<String> response, String code, String message, String field) {
        assertJsonContentType(response);
        JsonNode error = json(response);
        List<String> names = new ArrayList<>();
        error.fieldNames().forEachRemaining(names::add);

        assertThat(names).as("fields of the error body %s", response.body())
                .containsExactlyInAnyOrder("error", "message", "field");
        assertThat(error.path("error").asText()).as("error").isEqualTo(code);
        if (message != null) {
            assertThat(error.path("message").asText()).as("message").isEqualTo(message);
        }
        if (field == null) {
            assertThat(error.path("field").isNull()).as("field is null in %s", response.body()).isTrue();
        } else {
            assertThat(error.path("field").asText()).as("field").isEqualTo(field);
        }
        return error;
    }

    private static void assertJsonContentType(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type of %s", response.uri())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("The body of " + response.uri() + " is not JSON: " + response.body(), e);
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
