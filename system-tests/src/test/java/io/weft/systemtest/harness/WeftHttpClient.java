package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
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
}
