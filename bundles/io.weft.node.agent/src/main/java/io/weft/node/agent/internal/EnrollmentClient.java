package io.weft.node.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;
import io.weft.pki.TlsContexts;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * Calls the manager's enrollment endpoint over HTTPS. The server is authenticated only by the
 * root CA fingerprint in the token: the trust manager accepts a chain that ends in that root
 * and validates to it, and the host name must match the server certificate.
 *
 * <p>Request: {@code POST <enrollmentUrl>} with {@code {"token": ..., "csr": ...}}. A 200
 * response carries {@code nodeId}, {@code nodeName}, {@code certificateChain} (PEM strings,
 * leaf first) and {@code controlAddress}. An error response carries {@code error},
 * {@code message} and {@code field}.
 */
final class EnrollmentClient {

    /** Issued enrollment as the manager returned it, before the node verified the chain. */
    record Response(String nodeId, String nodeName, List<X509Certificate> chain, String controlAddress) {
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final SecureRandom random;

    EnrollmentClient(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Sends the CSR with the whole token text and returns the manager's response. */
    Response enroll(EnrollmentToken token, String tokenText, String csrPem) throws EnrollmentException {
        SSLContext tls = TlsContexts.sslContext(null,
                TlsContexts.firstContactTrustManager(token.caFingerprint(), clock), random);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(TlsContexts.clientParameters())
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest request = HttpRequest.newBuilder(token.enrollmentUrl())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(tokenText, csrPem)))
                .build();

        HttpResponse<byte[]> response = send(client, request, token);
        if (response.statusCode() != 200) {
            throw rejected(response);
        }
        return parse(response.body(), token);
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, EnrollmentToken token)
            throws EnrollmentException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            throw new EnrollmentException("The TLS handshake with " + token.enrollmentUrl() + " failed, so it is not"
                    + " the manager that the token names: " + rootCause(e)
                    + ". Check the enrollment URL and that the token comes from this manager.", false, e);
        } catch (IOException e) {
            throw new EnrollmentException("Connecting to the manager at " + token.enrollmentUrl() + " failed: "
                    + rootCause(e) + ". Check the network and that the manager is running.", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrollmentException("The enrollment was interrupted.", true, e);
        }
    }

    private static byte[] requestBody(String tokenText, String csrPem) {
        ObjectNode body = JSON.createObjectNode();
        body.put("token", tokenText);
        body.put("csr", csrPem);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static EnrollmentException rejected(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String code = "";
        String message = "";
        try {
            JsonNode error = JSON.readTree(response.body());
            code = error.path("error").asText("");
            message = error.path("message").asText("");
        } catch (IOException e) {
            message = "";
        }
        if (message.isBlank()) {
            message = "the response has no error message";
        }
        boolean retryable = status >= 500 || status == 408 || status == 429;
        return new EnrollmentException("The manager rejected the enrollment (HTTP " + status
                + (code.isBlank() ? "" : ", " + code) + "): " + message, retryable);
    }

    private static Response parse(byte[] body, EnrollmentToken token) throws EnrollmentException {
        try {
            JsonNode json = JSON.readTree(body);
            List<X509Certificate> chain = new ArrayList<>();
            JsonNode pems = json.path("certificateChain");
            if (!pems.isArray() || pems.isEmpty()) {
                throw new IllegalArgumentException("certificateChain is missing or empty");
            }
            for (JsonNode pem : pems) {
                chain.addAll(Pem.readCertificates(pem.asText()));
            }
            return new Response(requiredText(json, "nodeId"), requiredText(json, "nodeName"), chain,
                    requiredText(json, "controlAddress"));
        } catch (IOException | IllegalArgumentException | PkiException e) {
            throw new EnrollmentException("The manager at " + token.enrollmentUrl() + " sent an invalid enrollment"
                    + " response: " + e.getMessage(), false, e);
        }
    }

    private static String requiredText(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException(member + " is missing or not a non-empty string");
        }
        return value.textValue();
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
