package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The manager's REST API over HTTPS as the first admin uses it, for system tests: JSON in and
 * out, every request bounded by a timeout.
 */
public final class ManagerApi {

    /** File in the manager's etc folder with the first admin's password. */
    public static final String ADMIN_PASSWORD_FILE = "weft-api-admin.password";
    public static final String BASE = "/api/v1";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Supplier<WeftHttpClient> https;
    private final String authorization;

    public ManagerApi(WeftInstallation manager) {
        this(manager.etc(), manager::https);
    }

    private ManagerApi(Path etc, Supplier<WeftHttpClient> https) {
        this.https = Objects.requireNonNull(https, "https");
        Path file = etc.resolve(ADMIN_PASSWORD_FILE);
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the first admin's password from " + file, e);
        }
    }

    /**
     * Returns a client for a manager that this harness did not start, such as one of
     * {@code ./weft quickstart}, from its Karaf home and HTTPS port.
     */
    public static ManagerApi of(Path managerHome, int httpsPort) {
        WeftHttpClient client = WeftHttpClient.https(httpsPort, managerHome.resolve("data/weft/ca/root-ca.pem"));
        return new ManagerApi(managerHome.resolve("etc"), () -> client);
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** Sends GET for a PEM document, such as {@code /pki/ca}. */
    public HttpResponse<String> getPem(String path) {
        return send(request(path).setHeader("Accept", "application/x-pem-file").GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends POST with a binary body of the content type, such as an app bundle upload. */
    public HttpResponse<String> postBytes(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Sends POST without the admin's credentials, as a node does when it enrolls. */
    public HttpResponse<String> postAnonymous(String path, String json) {
        return send(HttpRequest.newBuilder(https.get().uri(BASE + path)).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends PUT, with {@code If-Match} unless it is null. */
    public HttpResponse<String> put(String path, String ifMatch, String json) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json");
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request.PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends DELETE with {@code If-Match}, such as the ETag of a policy rule. */
    public HttpResponse<String> delete(String path, String ifMatch) {
        return send(request(path).header("If-Match", Objects.requireNonNull(ifMatch, "ifMatch")).DELETE());
    }

    /** Sends the request and fails unless the status is the expected one; returns the body as JSON. */
    public JsonNode expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " returned "
                    + response.statusCode() + " instead of " + status + ": " + response.body());
        }
        return json(response);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("Response of " + response.uri() + " is not JSON: " + response.body(), e);
        }
    }

    /** Returns the text as a JSON string literal. */
    public static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Failed to quote " + text, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(https.get().uri(BASE + path)).header("Accept", "application/json")
                .header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        try {
            return https.get().client().send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(built.method() + " " + built.uri() + " was interrupted", e);
        }
    }
}
