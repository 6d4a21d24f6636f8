package io.weft.mesh;

import io.weft.mesh.internal.FrameCodecFilter;
import io.weft.mesh.internal.LoopSelectorProvider;
import io.weft.mesh.internal.MeshHandler;
import io.weft.mesh.internal.Multiplexer;
import io.weft.mesh.internal.NamedThreadFactory;
import io.weft.mesh.internal.ReadBufferAllocator;
import io.weft.mesh.internal.RelayAcceptFilter;
import io.weft.mesh.internal.RelayDialFilter;
import io.weft.mesh.internal.RelayPreamble;
import io.weft.mesh.internal.TunnelTlsFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoService;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's end of the mesh: listens for tunnels, dials them, or both, over mutual TLS on
 * Apache MINA. Trust is what the {@link SSLContext} decides, so build it with
 * {@code io.weft.pki.TlsContexts.mutualTlsContext}: the node's key and chain, the Weft root CA
 * as the only anchor, and the revoked serials of the node's desired state. TLS 1.3 and 1.2
 * are enabled, AES-128-GCM suites first.
 *
 * <p>NOTE: revoked serials are checked only during the TLS handshake. A tunnel that is open
 * when its peer's serial is revoked stays open until the caller closes it with
 * {@link MeshTunnel#close()}, for example after comparing {@link MeshPeer#certificate()} with
 * the new revocation list.
 *
 * <pre>{@code
 * MeshEndpoint endpoint = new MeshEndpoint("edge", sslContext, MeshSettings.defaults(), listener);
 * MeshTunnel tunnel = endpoint.dial(gatewayAddress, "gw1.east.acme.example").get();
 * MeshStream stream = tunnel.openStream("postgres", Map.of(), handler);
 * ...
 * endpoint.close();
 * }</pre>
 */
public final class MeshEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshEndpoint.class);

    /** Time that closing waits for sessions to close and for the timer thread to stop. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final SSLContext sslContext;
    private final MeshSettings settings;
    private final ScheduledThreadPoolExecutor timer;
    private final MeshHandler handler;
    private final RelayAcceptFilter relays;
    private NioSocketAcceptor acceptor;
    private NioSocketConnector connector;
    private volatile IoProcessors acceptorProcessors;
    private volatile IoProcessors connectorProcessors;
    private boolean closed;

    /**
     * @param name        short name for thread names and logs, such as "gateway"
     * @param sslContext  key manager with the node's certificate and a trust manager that
     *     accepts only node chains to the Weft CA that are not revoked
     */
    public MeshEndpoint(String name, SSLContext sslContext, MeshSettings settings, MeshListener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("weft-mesh-" + name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.handler = new MeshHandler(settings, Objects.requireNonNull(listener, "listener"), timer, this::loopOf);
        this.relays = new RelayAcceptFilter(new SecureRandom(), timer, System::nanoTime);
        long tickMillis = Math.max(10, Math.min(1_000, settings.pingInterval().toMillis() / 4));
        timer.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        // Last, so that a constructor that throws leaves the allocator as it was.
        ReadBufferAllocator.acquire();
    }

    /**
     * Starts accepting tunnels on {@code address}. Port 0 takes a free port. Every client must
     * present a certificate that the TLS context accepts and that names one node.
     *
     * @return the address actually bound
     * @throws IllegalStateException when the endpoint already listens or is closed
     */
    public synchronized InetSocketAddress listen(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        requireOpen();
        if (acceptor != null) {
            throw new IllegalStateException("Mesh endpoint '" + name + "' already listens on "
                    + acceptor.getLocalAddress());
        }
        acceptorProcessors = processors("acceptor");
        acceptor = new NioSocketAcceptor(acceptorProcessors.pool());
        acceptor.setReuseAddress(true);
        configureSessions(acceptor.getSessionConfig());
        acceptor.getFilterChain().addLast("relay", relays);
        configure(acceptor, TunnelTlsFilter.server(sslContext));
        acceptor.bind(address);
        InetSocketAddress bound = acceptor.getLocalAddress();
        LOG.info("Mesh endpoint '{}': listening on {} (frames up to {} bytes, stream window {} bytes growing to {}, "
                + "{} inbound streams per tunnel, PING after {} ms of silence, dead after {} intervals, handshake "
                + "timeout {} ms)", name, bound, settings.maxFramePayloadBytes(), settings.receiveWindowBytes(),
                settings.maxReceiveWindowBytes(), settings.maxInboundStreams(), settings.pingInterval().toMillis(), settings.maxMissedPings(),
                settings.handshakeTimeout().toMillis());
        return bound;
    }

    /**
     * Dials a peer node. Its certificate must chain to the Weft CA, must not be revoked and must
     * carry {@code peerName} as its DNS name, whatever address is dialled.
     *
     * @param peerName the peer's full name {@code <node>.<domain>}
     * @return a future completed with the tunnel once the handshake and the peer checks have
     *     passed, or exceptionally when the connection, the handshake or a check failed
     */
    public CompletableFuture<MeshTunnel> dial(InetSocketAddress address, String peerName) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(peerName, "peerName");
        return connect(address, session -> session.setAttribute(TunnelTlsFilter.PEER_NAME, peerName));
    }

    /**
     * Dials the destination's or the source's end of a relayed tunnel: a connection to a
     * gateway that presents {@code ticket}, which the gateway splices to the connection of the
     * other node with the same ticket. The two nodes then run a tunnel between them as over a
     * direct connection, with the same checks of the peer's certificate, so the gateway relays
     * TLS records that it can neither read nor alter. The source runs the TLS client and opens
     * streams with odd ids, the destination the TLS server.
     *
     * @param gateway  the address of the gateway's listener, where this node dials its tunnel
     * @param ticket   the ticket that the gateway issued with {@link #offerRelay}
     * @param peerName the full name of the node at the other end
     * @param source   true on the node that asked for the relayed tunnel
     * @return a future completed with the tunnel once the handshake and the peer checks passed
     * @throws IllegalArgumentException when {@code ticket} is not a ticket's text
     */
    public CompletableFuture<MeshTunnel> dialRelayed(InetSocketAddress gateway, String ticket, String peerName,
            boolean source) {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(peerName, "peerName");
        byte[] preamble = RelayPreamble.encode(Objects.requireNonNull(ticket, "ticket"));
        return connect(gateway, session -> {
            session.setAttribute(RelayDialFilter.PREAMBLE, preamble);
            session.setAttribute(TunnelTlsFilter.PEER_NAME, peerName);
            if (!source) {
                session.setAttribute(TunnelTlsFilter.SERVER_SIDE, Boolean.TRUE);
            }
        });
    }

    /** Connects a new session, prepared by {@code setup} before it opens, and returns its tunnel's future. */
    private CompletableFuture<MeshTunnel> connect(InetSocketAddress address, Consumer<IoSession> setup) {
        CompletableFuture<MeshTunnel> tunnel = new CompletableFuture<>();
        ConnectFuture connecting = connector().connect(address, (session, future) -> {
            setup.accept(session);
            session.setAttribute(MeshHandler.CONNECT_FUTURE, tunnel);
        });
        connecting.addListener(future -> {
            Throwable failure = ((ConnectFuture) future).getException();
            if (failure != null) {
                tunnel.completeExceptionally(failure);
            }
        });
        return tunnel;
    }

    /**
     * Issues a ticket for one relayed tunnel between two nodes that have tunnels to this
     * gateway. Pass it to both through those tunnels; each dials this gateway's listener with
     * {@link #dialRelayed}, and the gateway splices the two connections. A ticket works once,
     * for {@link MeshSettings#handshakeTimeout()} from now.
     *
     * @param source      full name of the node that asked, the TLS client of the tunnel
     * @param destination full name of the node at the other end
     * @throws IllegalStateException when this endpoint does not listen, or too many tickets wait
     */
    public String offerRelay(String source, String destination) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        synchronized (this) {
            requireOpen();
            if (acceptor == null) {
                throw new IllegalStateException("Mesh endpoint '" + name + "' has no listener, so it relays no tunnels");
            }
        }
        return relays.offer(source, destination, settings.handshakeTimeout());
    }

    /** Returns the relayed tunnels that this gateway splices. */
    public List<SplicedTunnel> splicedTunnels() {
        return relays.splices();
    }

    /** Closes the relayed tunnels that this gateway splices for {@code node}, one of their two ends. */
    public void closeSplicedTunnels(String node) {
        relays.closeSplicesOf(Objects.requireNonNull(node, "node"));
    }

    /** Returns the open tunnels, accepted and dialled. */
    public List<MeshTunnel> tunnels() {
        return List.copyOf(handler.tunnels());
    }

    /** Closes every tunnel, stops listening and stops all threads of this endpoint. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Multiplexer tunnel : handler.tunnels()) {
            tunnel.close();
        }
        if (acceptor != null) {
            dispose(acceptor, acceptorProcessors);
            LOG.info("Mesh endpoint '{}': stopped listening", name);
        }
        if (connector != null) {
            dispose(connector, connectorProcessors);
        }
        ReadBufferAllocator.release();
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Mesh endpoint '{}': timer thread still running {} s after shutdown", name,
                        CLOSE_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized NioSocketConnector connector() {
        requireOpen();
        if (connector == null) {
            connectorProcessors = processors("connector");
            connector = new NioSocketConnector(connectorProcessors.pool());
            connector.setConnectTimeoutMillis(settings.connectTimeout().toMillis());
            configureSessions(connector.getSessionConfig());
            connector.getFilterChain().addLast("relay", new RelayDialFilter());
            configure(connector, TunnelTlsFilter.client(sslContext));
        }
        return connector;
    }

    /**
     * Returns the I/O threads of an acceptor or connector: one per core and one more, as MINA
     * starts by default, but from {@link ReadBufferAllocator#threadFactory} so that their reads
     * reuse one buffer per thread, and with selectors that can serve other channels too.
     */
    private IoProcessors processors(String role) {
        ExecutorService threads = Executors.newCachedThreadPool(
                ReadBufferAllocator.threadFactory("weft-mesh-" + name + "-" + role + "-io"));
        int count = Runtime.getRuntime().availableProcessors() + 1;
        LoopSelectorProvider selectors = new LoopSelectorProvider();
        return new IoProcessors(new SimpleIoProcessorPool<>(NioProcessor.class, threads, count, selectors), threads,
                selectors);
    }

    /** Returns the I/O loop whose thread serves {@code session}. */
    private Optional<IoLoop> loopOf(IoSession session) {
        if (!(session instanceof NioSession nio) || !(nio.getChannel() instanceof SelectableChannel channel)) {
            return Optional.empty();
        }
        for (IoProcessors processors : new IoProcessors[] {acceptorProcessors, connectorProcessors}) {
            Optional<IoLoop> loop = processors == null ? Optional.empty() : processors.selectors().loopOf(channel);
            if (loop.isPresent()) {
                return loop;
            }
        }
        return Optional.empty();
    }

    /** Sets the same size for every read of a mesh session, so that its buffer can be reused. */
    private static void configureSessions(SocketSessionConfig config) {
        config.setTcpNoDelay(true);
        config.setMinReadBufferSize(ReadBufferAllocator.READ_BUFFER_BYTES);
        config.setReadBufferSize(ReadBufferAllocator.READ_BUFFER_BYTES);
        config.setMaxReadBufferSize(ReadBufferAllocator.READ_BUFFER_BYTES);
    }

    private void configure(IoService service, TunnelTlsFilter tlsFilter) {
        service.getFilterChain().addLast("tls", tlsFilter);
        service.getFilterChain().addLast(MeshHandler.CODEC_FILTER, new FrameCodecFilter(settings.maxFramePayloadBytes()));
        service.setHandler(handler);
    }

    /**
     * Closes the service's sessions and stops its threads, waiting at most {@link #CLOSE_TIMEOUT}
     * for them. MINA's own wait has no limit, and an I/O thread that died, for example of an
     * OutOfMemoryError, would make it hang the node's stop for good.
     */
    private void dispose(IoService service, IoProcessors processors) {
        for (IoSession session : service.getManagedSessions().values()) {
            session.closeNow().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
        }
        Thread disposer = new Thread(() -> {
            service.dispose(true);
            processors.dispose();
        }, "weft-mesh-dispose-" + name);
        disposer.setDaemon(true);
        disposer.start();
        try {
            disposer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (disposer.isAlive()) {
            LOG.warn("Mesh endpoint '{}': its I/O threads did not stop within {} ms; the endpoint closes without"
                    + " them, and a thread dump shows where they wait", name, CLOSE_TIMEOUT.toMillis());
        }
    }

    private void tick() {
        for (Multiplexer tunnel : handler.tunnels()) {
            try {
                tunnel.tick();
            } catch (RuntimeException e) {
                LOG.error("Mesh endpoint '{}': the timers of the {} failed", name, tunnel, e);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Mesh endpoint '" + name + "' is closed");
        }
    }

    /** The I/O threads of one acceptor or connector, which it does not stop itself because it did not start them. */
    private record IoProcessors(SimpleIoProcessorPool<NioSession> pool, ExecutorService threads,
            LoopSelectorProvider selectors) {

        void dispose() {
            selectors.stop();
            pool.dispose();
            threads.shutdown();
        }
    }
}
