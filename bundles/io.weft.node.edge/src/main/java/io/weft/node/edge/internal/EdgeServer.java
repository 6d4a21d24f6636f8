package io.weft.node.edge.internal;

import java.net.InetSocketAddress;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import io.weft.pki.TlsContexts;

/**
 * The HTTPS listener of the Edge API: a Jetty server of its own, on the Jetty bundles that
 * pax-web installs, with the node's certificate and client certificates wanted, not needed.
 *
 * <p>pax-web's own HTTPS connector was not used because its TLS settings are files (a key store
 * and a trust store) shared by every connector and context of the whiteboard. A client
 * certificate could then be checked only against the root CA, not against the revoked serials
 * of the applied state, which {@link TlsContexts#trustManager} reads at every handshake, and a
 * renewed certificate would make pax-web restart every listener, including the readiness
 * endpoint.
 */
final class EdgeServer implements AutoCloseable {

    /** Time after which a connection without traffic is closed, such as a keep-alive connection left open. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final int RESERVED_THREADS = 8;

    private final Server server;
    private final ServerConnector connector;

    EdgeServer(EdgeSettings settings, SSLContext sslContext, Handler handler) {
        QueuedThreadPool threads = new QueuedThreadPool(
                Math.max(16, settings.workerThreads() + settings.maxStreams() + RESERVED_THREADS), 2);
        threads.setName("weft-edge-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, new SslConnectionFactory(tls(sslContext), "http/1.1"),
                new HttpConnectionFactory(httpConfiguration()));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(2_000);
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws Exception from Jetty, such as a {@link java.io.IOException} when the port is in use
     */
    void start() throws Exception {
        server.start();
    }

    /** Returns the bound address, for logs and tests. */
    InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static SslContextFactory.Server tls(SSLContext sslContext) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(sslContext);
        tls.setWantClientAuth(true);
        tls.setIncludeProtocols(TlsContexts.PROTOCOLS.toArray(new String[0]));
        tls.setIncludeCipherSuites(TlsContexts.CIPHER_SUITES.toArray(new String[0]));
        tls.setUseCipherSuitesOrder(true);
        return tls;
    }

    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSendServerVersion(false);
        configuration.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Callers dial the node by IP address as often as by name, and the node's certificate
        // carries only its full name, so the SNI host check would reject valid callers.
        secure.setSniHostCheck(false);
        configuration.addCustomizer(secure);
        return configuration;
    }
}
