package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** HTTP or HTTPS calls to one distribution, by default on 127.0.0.1, each bounded by a timeout. */
public final class WeftHttpClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    WeftHttpClient(String host, int port) {
        this.base = URI.create("http://" + host + ":" + port);
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private WeftHttpClient(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /** Returns a client for HTTPS on the port that trusts only the root CA in the PEM file. */
    static WeftHttpClient https(int port, Path rootCertificate) {
        try (InputStream in = Files.newInputStream(rootCertificate)) {
            X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("weft-root", root);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(context)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            return new WeftHttpClient(URI.create("https://127.0.0.1:" + port), client);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the root CA " + rootCertificate, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Failed to trust the root CA " + rootCertificate + ": " + e, e);
        }
    }

    /** Returns the HTTP client, which trusts the manager's root CA for HTTPS. */
    public HttpClient client() {
        return client;
    }

    /** Returns the URI of a path on this server, such as {@code /health/ready}. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    /**
     * Sends GET and returns the response with its body as text.
     *
     * @throws UncheckedIOException when the request fails or times out
     */
    public HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + request.uri(), e);
        }
    }

    /** The status and body of a response to {@link #getRaw}. */
    public record RawResponse(int status, String body) {
    }

    /**
     * Sends GET over HTTPS with {@code target} in the request line byte for byte, for a target
     * that {@link URI} rejects, such as a query with the invalid escape {@code %%%}.
     *
     * @param authorization the value of the Authorization header
     * @throws UncheckedIOException when the request fails or times out
     */
    public RawResponse getRaw(String target, String authorization) {
        String request = "GET " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAccept: application/json\r\nAuthorization: " + authorization + "\r\nConnection: close\r\n\r\n";
        SSLContext tls = client.sslContext();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            String head = headerEnd < 0 ? response : response.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : response.substring(headerEnd + 4);
            boolean chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
            return new RawResponse(Integer.parseInt(head.substring(9, 12)), chunked ? unchunk(body) : body);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + target + " on " + base + " failed: " + e, e);
        }
    }

    /** Joins the chunks of a body sent with chunked transfer encoding. */
    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int position = 0;
        while (position < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", position);
            int size = Integer.parseInt(chunked.substring(position, lineEnd).strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            position = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
