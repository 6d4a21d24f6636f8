package io.weft.manager.pki.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.pki.api.ManagerPki;
import io.weft.pki.TlsContexts;
import io.weft.runtime.ReadinessCheck;

/**
 * Keeps the manager from reporting ready until its REST API responds over HTTPS, because
 * component states alone report ready before pax-web serves the API on the HTTPS port. The
 * check sends {@code GET /api/v1} to the HTTPS port on loopback, trusting only the manager's
 * root CA, and keeps its result for {@value #CACHE_MILLIS} ms.
 */
@Component(service = ReadinessCheck.class, immediate = true, configurationPid = ManagerPkiComponent.PID)
public class HttpsReadinessCheck implements ReadinessCheck {

    static final long CACHE_MILLIS = 500;
    private static final int TIMEOUT_MILLIS = 1000;
    private static final String REQUEST = "GET /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
            + "Connection: close\r\n\r\n";

    private final SSLContext context;
    private final int port;
    private volatile List<String> lastProblems = List.of("the HTTPS API was not checked yet");
    private volatile long checkedAtNanos;
    private volatile boolean served;

    @Activate
    public HttpsReadinessCheck(@Reference ManagerPki pki, PkiConfig config) {
        this.context = TlsContexts.sslContext(null, TlsContexts.trustManager(pki.rootCertificate(), Set::of,
                Clock.systemUTC()), new SecureRandom());
        this.port = config.httpsPort();
    }

    @Override
    public List<String> problems() {
        if (served) {
            return List.of();
        }
        long now = System.nanoTime();
        if (now - checkedAtNanos < CACHE_MILLIS * 1_000_000) {
            return lastProblems;
        }
        checkedAtNanos = now;
        lastProblems = check();
        served = lastProblems.isEmpty();
        return lastProblems;
    }

    private List<String> check() {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setSSLParameters(TlsContexts.clientParameters());
            OutputStream out = socket.getOutputStream();
            out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(socket.getInputStream());
            if (status.startsWith("HTTP/1.1 200")) {
                return List.of();
            }
            return List.of("the REST API on HTTPS port " + port + " answered '" + status + "' instead of 200");
        } catch (IOException e) {
            return List.of("the REST API does not answer on HTTPS port " + port + " yet: " + e.getMessage());
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\r' && b != '\n' && line.length() < 200; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}
