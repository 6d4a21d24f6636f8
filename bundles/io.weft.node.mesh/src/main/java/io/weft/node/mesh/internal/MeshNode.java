package io.weft.node.mesh.internal;

import io.weft.control.FlowRecord;
import io.weft.mesh.EndToEndSession;
import io.weft.mesh.EndToEndStream;
import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import io.weft.mesh.SplicedTunnel;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.Identity;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import io.weft.pki.TlsContexts;
import io.weft.policy.Decision;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's mesh data plane for one identity and one configuration, without OSGi: the
 * gateway listener, the tunnels to the configured gateways, relaying at a gateway, and the
 * streams of services and connectors with a policy check at both ends.
 *
 * <p>Source identity: a stream's source is the peer of the tunnel it arrived on, as mutual
 * TLS proved it. Only a gateway that this node dialled, because its configuration lists it,
 * may name another source in the OPEN metadata {@value #SOURCE}. The gateway writes that
 * entry itself from the peer of its own inbound tunnel and never forwards what the source
 * claimed. Streams to a node without a direct tunnel run inside an end-to-end session with
 * that node ({@link EndToEndSession}), one per pair of nodes, which a gateway relays as one
 * stream. Its inner TLS session proves both node names to each other and keeps the payload
 * from the gateway, and the destination checks policy on each stream with the proven source.
 * The source then requests a relayed tunnel with that node from the gateway ({@link RelayedTunnels}),
 * a TLS connection between the two nodes that the gateway splices, and later streams take it
 * as they take a direct tunnel. Direct streams rely on the tunnel's TLS alone.
 */
final class MeshNode implements MeshListener, AutoCloseable {

    /** OPEN metadata: the full name of the node that opened the stream, as the sender vouches. */
    static final String SOURCE = "weft-source";
    /** OPEN metadata: the full name of the stream's final destination, for a gateway to relay to. */
    static final String DESTINATION = "weft-destination";
    /** Prefix of a stream target that names a service: {@code service:<name>}. */
    static final String TARGET_PREFIX = "service:";
    /** Prefix of a stream target that names a built-in target of the destination node: {@code builtin:<name>}. */
    static final String BUILT_IN_PREFIX = "builtin:";

    private static final Logger LOG = LoggerFactory.getLogger(MeshNode.class);
    /** Minimum time between two WARN lines about the rejected tunnels of one peer. */
    private static final Duration REJECTION_LOG_INTERVAL = Duration.ofMinutes(1);

    private final Identity identity;
    private final MeshNodeSettings settings;
    private final TcpReactor reactor;
    private final Function<String, ExposedService> services;
    private final Function<String, Optional<InetSocketAddress>> builtInTargets;
    private final ScheduledExecutorService scheduler;
    private final SSLContext tls;
    private final MeshEndpoint endpoint;
    private final EndToEndSessions sessions;
    private final RelayedTunnels relayedTunnels;
    private final List<GatewayDialer> dialers = new ArrayList<>();
    private final Map<StreamBridge, FlowLog.Tracked> flows = new ConcurrentHashMap<>();
    private final Set<RelaySplice> relays = ConcurrentHashMap.newKeySet();
    private final FlowLog flowLog;
    private final RejectionLog rejections = new RejectionLog(REJECTION_LOG_INTERVAL, System::nanoTime);
    private volatile Set<BigInteger> revokedSerials;
    private volatile StreamPolicy policy;
    private volatile InetSocketAddress boundAddress;

    /**
     * @param services returns the exposed service of a name, or null when this node has none
     * @param flows    receives a flow event for each policy decision and each end of a stream
     */
    MeshNode(Identity identity, MeshNodeSettings settings, AppliedState state, TcpReactor reactor,
            Function<String, ExposedService> services, Consumer<FlowEvent> flows, Clock clock, SecureRandom random) {
        this(identity, settings, state, reactor, services, name -> Optional.empty(), flows, clock, random);
    }

    /**
     * @param builtInTargets returns the address of a built-in target of this node, empty when it has none
     */
    MeshNode(Identity identity, MeshNodeSettings settings, AppliedState state, TcpReactor reactor,
            Function<String, ExposedService> services, Function<String, Optional<InetSocketAddress>> builtInTargets,
            Consumer<FlowEvent> flows, Clock clock, SecureRandom random) {
        this.identity = identity;
        this.builtInTargets = builtInTargets;
        this.flowLog = new FlowLog(flows, clock);
        this.settings = settings;
        this.reactor = reactor;
        this.services = services;
        this.revokedSerials = state.revokedSerials();
        this.policy = StreamPolicy.of(state);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "weft-mesh-node");
            thread.setDaemon(true);
            return thread;
        });
        this.tls = TlsContexts.mutualTlsContext(identity.privateKey(), identity.certificateChain(),
                identity.rootCertificate(), () -> revokedSerials, clock, random);
        this.endpoint = new MeshEndpoint(shortName(identity.fullName()), tls, settings.mesh(), this);
        this.sessions = new EndToEndSessions(tls, settings.mesh(), new SessionListener(),
                sessionIdleClose(settings.mesh()), System::nanoTime);
        this.relayedTunnels = new RelayedTunnels(endpoint, sessionIdleClose(settings.mesh()), System::nanoTime);
        for (GatewayAddress gateway : settings.gateways()) {
            // A gateway often inherits the gateway list of its domain, which names itself.
            if (gateway.fullName().equals(identity.fullName())) {
                LOG.debug("Mesh: node '{}' skips itself in its gateway list", identity.fullName());
                continue;
            }
            dialers.add(new GatewayDialer(gateway, endpoint, scheduler, settings.mesh().pingInterval(), random));
        }
    }

    /** Opens the gateway listener, if configured, and starts dialling the gateways. */
    void start() throws IOException {
        if (settings.listenAddress().isPresent()) {
            boundAddress = endpoint.listen(settings.listenAddress().get());
        }
        dialers.forEach(GatewayDialer::start);
        long tickMillis = Math.max(10, Math.min(1_000, settings.mesh().pingInterval().toMillis() / 4));
        scheduler.scheduleAtFixedRate(sessions::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(relayedTunnels::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        LOG.info("Mesh: node '{}' started as {}, listener {}, gateways {}, policy of state revision {}",
                identity.fullName(), settings.isGateway() ? "gateway" : "edge",
                boundAddress == null ? "none" : boundAddress, settings.gateways(), policy.revision());
    }

    /** Returns the address that the gateway listener bound, empty on an edge node. */
    Optional<InetSocketAddress> listenerAddress() {
        return Optional.ofNullable(boundAddress);
    }

    String fullName() {
        return identity.fullName();
    }

    List<MeshTunnel> tunnels() {
        return endpoint.tunnels();
    }

    /** Returns the number of open bridged and relayed streams. */
    int streamCount() {
        return flows.size() + relays.size();
    }

    /** Returns the name of the gateway that relays {@code tunnel}, empty for a tunnel over its own connection. */
    Optional<String> relayGatewayOf(MeshTunnel tunnel) {
        return relayedTunnels.gatewayOf(tunnel);
    }

    /** Returns the relayed tunnels that this gateway splices. */
    List<SplicedTunnel> splicedTunnels() {
        return endpoint.splicedTunnels();
    }

    /** Returns the open end-to-end sessions, opened by this node and accepted from others. */
    List<EndToEndSession> endToEndSessions() {
        return sessions.sessions();
    }

    /** Returns the mesh streams of the open service and connector connections of this node. */
    List<MeshStream> bridgedStreams() {
        return flows.keySet().stream().map(StreamBridge::stream).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Takes a new applied state: closes tunnels to peers whose certificates it revokes and
     * resets open streams that its policy no longer allows.
     */
    void applyState(AppliedState state) {
        revokedSerials = state.revokedSerials();
        policy = StreamPolicy.of(state);
        for (MeshTunnel tunnel : endpoint.tunnels()) {
            if (isRevoked(tunnel)) {
                LOG.warn("Mesh: closing the tunnel to {} because state revision {} revokes its certificate serial {}",
                        tunnel.peer(), state.revision(), tunnel.peer().certificate().getSerialNumber().toString(16));
                tunnel.close();
                endpoint.closeSplicedTunnels(tunnel.peer().fullName());
            }
        }
        flows.forEach(this::recheck);
        sessions.closeRevoked(revokedSerials, state.revision());
    }

    /** Returns a bridge for a connector's connection, which this node stops tracking once both sides ended. */
    StreamBridge bridge(String description) {
        return new StreamBridge(description, this::ended);
    }

    /**
     * Opens a stream to {@code service} on node {@code destination} for a connector, after the
     * source's policy check: directly when a tunnel to that node is open, else through a gateway.
     *
     * @param port the service's port, which the policy check reads
     * @throws StreamRejectedException when policy denies the flow or no tunnel leads to the node
     */
    MeshStream openServiceStream(String service, String destination, int port, StreamBridge bridge)
            throws StreamRejectedException {
        String source = identity.fullName();
        Decision decision = policy.decide(source, destination, service, port);
        if (!decision.isAllowed()) {
            logDenied("source", source, destination, service, decision);
            flowLog.denied(FlowRecord.End.SOURCE, source, destination, service, port, decision);
            throw new StreamRejectedException(ErrorCode.NOT_ALLOWED, decision.reason());
        }
        MeshStream stream = open(TARGET_PREFIX + service, source, destination, bridge);
        bridge.attach(stream);
        flows.put(bridge, flowLog.opened(FlowRecord.End.SOURCE, source, destination, service, port, decision));
        return stream;
    }

    /**
     * Opens a stream to the built-in target {@code name} of node {@code destination}, without a
     * policy check because the target authorizes each request itself; see {@link BuiltInTarget}.
     *
     * @throws StreamRejectedException when no tunnel leads to the node
     */
    MeshStream openBuiltInStream(String name, String destination, StreamBridge bridge)
            throws StreamRejectedException {
        MeshStream stream = open(BUILT_IN_PREFIX + name, identity.fullName(), destination, bridge);
        bridge.attach(stream);
        return stream;
    }

    @Override
    public void tunnelOpened(MeshTunnel tunnel) {
        if (isRevoked(tunnel)) {
            rejections.rejected(tunnel.peer().fullName());
            tunnel.close(ErrorCode.PEER_REJECTED, "the certificate serial of this node is revoked");
            return;
        }
        LOG.info("Mesh: tunnel {} {} open", tunnel.isDialer() ? "to" : "from", tunnel.peer());
    }

    @Override
    public MeshStreamHandler streamOpened(MeshStream stream) {
        String destination = stream.metadata().getOrDefault(DESTINATION, identity.fullName());
        if (stream.target().equals(RelayedTunnels.TARGET)) {
            return destination.equalsIgnoreCase(identity.fullName()) ? acceptRelayedTunnel(stream)
                    : offerRelayedTunnel(stream, destination);
        }
        if (!destination.equalsIgnoreCase(identity.fullName())) {
            return relay(stream, destination);
        }
        return serve(stream);
    }

    @Override
    public void tunnelClosed(MeshTunnel tunnel) {
        LOG.info("Mesh: tunnel {} {} closed", tunnel.isDialer() ? "to" : "from", tunnel.peer());
        dialers.forEach(dialer -> dialer.tunnelClosed(tunnel));
    }

    @Override
    public void close() {
        dialers.forEach(GatewayDialer::stop);
        scheduler.shutdownNow();
        sessions.close();
        endpoint.close();
        LOG.info("Mesh: node '{}' stopped", identity.fullName());
    }

    /**
     * Opens a stream on the direct tunnel to {@code destination}, or else in the end-to-end
     * session with it, which a gateway relays.
     *
     * @throws StreamRejectedException when no tunnel leads to the node or the stream cannot open
     */
    private MeshStream open(String target, String source, String destination, StreamBridge bridge)
            throws StreamRejectedException {
        Map<String, String> metadata = Map.of(SOURCE, source, DESTINATION, destination);
        Optional<MeshTunnel> direct = directTunnel(destination);
        if (direct.isPresent()) {
            try {
                return direct.get().openStream(target, metadata, bridge);
            } catch (IllegalStateException e) {
                if (relayedTunnels.gatewayOf(direct.get()).isEmpty()) {
                    throw new StreamRejectedException(ErrorCode.REFUSED_STREAM, e.getMessage());
                }
                // A relayed tunnel that is going away; the end-to-end session takes the stream.
            }
        }
        requestRelayedTunnel(destination);
        return sessions.openStream(destination, this::gatewayTo, target, metadata, bridge);
    }

    /** Asks a gateway for a relayed tunnel to {@code destination}, which later streams to it take. */
    private void requestRelayedTunnel(String destination) {
        if (!settings.relayedTunnels()) {
            return;
        }
        try {
            relayedTunnels.request(destination, gatewayTo(destination));
        } catch (StreamRejectedException e) {
            // No gateway: the end-to-end session fails the stream with the same reason.
            LOG.trace("Mesh: no gateway for a relayed tunnel to '{}'", destination);
        }
    }

    /** Offers a relayed tunnel between the stream's source and {@code destination}, on a gateway only. */
    private MeshStreamHandler offerRelayedTunnel(MeshStream request, String destination) {
        String source = request.tunnel().peer().fullName();
        if (!settings.isGateway()) {
            LOG.info("Mesh: rejected a relayed tunnel to '{}' for '{}': this node is not a gateway", destination,
                    source);
            request.reset(ErrorCode.UNKNOWN_TARGET, "node '" + identity.fullName() + "' is not a gateway, so it"
                    + " relays no tunnels");
            return null;
        }
        Optional<MeshTunnel> next = directTunnel(destination);
        if (next.isEmpty()) {
            LOG.info("Mesh relay: no tunnel to '{}' for a relayed tunnel from '{}'", destination, source);
            request.reset(ErrorCode.CONNECT_FAILED, "gateway '" + identity.fullName() + "' has no tunnel to node '"
                    + destination + "'");
            return null;
        }
        return relayedTunnels.offer(request, source, destination, next.get());
    }

    /** Dials the relayed tunnel that a gateway this node dialled offers from another node. */
    private MeshStreamHandler acceptRelayedTunnel(MeshStream offer) {
        Optional<String> source = sourceOf(offer);
        if (source.isEmpty()) {
            return null;
        }
        if (!settings.relayedTunnels()) {
            LOG.debug("Mesh: declined a relayed tunnel from '{}', because relayedTunnels is false", source.get());
            offer.reset(ErrorCode.REFUSED_STREAM, "node '" + identity.fullName() + "' has relayed tunnels turned off");
            return null;
        }
        if (!isRelayed(offer, source.get())) {
            LOG.info("Mesh: rejected the offer of a relayed tunnel from {}, which is not a gateway relaying for"
                    + " another node", offer.tunnel().peer());
            offer.reset(ErrorCode.UNKNOWN_TARGET, "only a gateway offers relayed tunnels");
            return null;
        }
        return relayedTunnels.accept(offer, source.get());
    }

    private Optional<MeshTunnel> directTunnel(String destination) {
        return endpoint.tunnels().stream()
                .filter(tunnel -> tunnel.isOpen() && tunnel.peer().fullName().equalsIgnoreCase(destination))
                .findFirst();
    }

    /** Returns the first open tunnel that this node dialled to a gateway, for an end-to-end session to {@code destination}. */
    private MeshTunnel gatewayTo(String destination) throws StreamRejectedException {
        // NOTE: this takes the first open gateway tunnel without knowing whether that gateway has
        // a tunnel to the destination. When it has none, the gateway resets the session's carrier
        // with CONNECT_FAILED, which resets the streams of the session.
        return endpoint.tunnels().stream()
                .filter(tunnel -> tunnel.isOpen() && tunnel.isDialer() && isGateway(tunnel.peer().fullName()))
                .findFirst()
                .orElseThrow(() -> new StreamRejectedException(ErrorCode.CONNECT_FAILED, "no open tunnel leads to"
                        + " node '" + destination + "': neither a direct tunnel nor one to a gateway"));
    }

    /** Relays a stream whose destination is another node, on a gateway only. */
    private MeshStreamHandler relay(MeshStream inbound, String destination) {
        String source = inbound.tunnel().peer().fullName();
        if (!settings.isGateway()) {
            LOG.info("Mesh: rejected a stream to '{}' from '{}': this node is not a gateway", destination, source);
            inbound.reset(ErrorCode.UNKNOWN_TARGET, "node '" + identity.fullName() + "' is not a gateway, so it relays"
                    + " no streams");
            return null;
        }

        MeshTunnel next = endpoint.tunnels().stream()
                .filter(tunnel -> tunnel.isOpen() && tunnel.peer().fullName().equalsIgnoreCase(destination))
                .findFirst().orElse(null);
        if (next == null) {
            LOG.info("Mesh relay: no tunnel to '{}' for {} from '{}'", destination, inbound.target(), source);
            inbound.reset(ErrorCode.CONNECT_FAILED, "gateway '" + identity.fullName() + "' has no tunnel to node '"
                    + destination + "'");
            return null;
        }

        RelaySplice splice = new RelaySplice(inbound.target() + " from '" + source + "' to '" + destination + "'");
        MeshStreamHandler inboundHandler = splice.inbound(inbound);
        // The source entry comes from the authenticated peer of the inbound tunnel, never from the
        // inbound metadata, so a node cannot claim another node's identity through the relay.
        MeshStream outbound;
        try {
            outbound = next.openStream(inbound.target(), Map.of(SOURCE, source, DESTINATION, destination),
                    new RelayEnd(splice.outbound(), () -> relays.remove(splice)));
        } catch (IllegalStateException e) {
            LOG.info("Mesh relay: the tunnel to '{}' is closing, so {} from '{}' is reset", destination,
                    inbound.target(), source);
            inbound.reset(ErrorCode.REFUSED_STREAM, "the tunnel to node '" + destination + "' is closing");
            return null;
        }

        splice.attachOutbound(outbound);
        relays.add(splice);
        return inboundHandler;
    }

    /** Accepts a stream for a service of this node after the destination's own policy check. */
    private MeshStreamHandler serve(MeshStream stream) {
        Optional<String> source = sourceOf(stream);
        if (source.isEmpty()) {
            return null;
        }
        if (stream.target().equals(EndToEndSession.TARGET)) {
            return acceptSession(stream, source.get());
        }
        if (stream.target().startsWith(BUILT_IN_PREFIX)) {
            return serveBuiltIn(stream, source.get(), stream.target().substring(BUILT_IN_PREFIX.length()));
        }
        if (!stream.target().startsWith(TARGET_PREFIX)) {
            stream.reset(ErrorCode.UNKNOWN_TARGET, "unknown target '" + stream.target() + "'");
            return null;
        }
        String name = stream.target().substring(TARGET_PREFIX.length());
        ExposedService service = services.apply(name);
        if (service == null) {
            LOG.info("Mesh: stream for unknown service '{}' from '{}' reset", name, source.get());
            stream.reset(ErrorCode.UNKNOWN_TARGET, "node '" + identity.fullName() + "' exposes no service '" + name
                    + "'");
            return null;
        }
        Decision decision = policy.decide(source.get(), identity.fullName(), name, service.port());
        if (!decision.isAllowed()) {
            logDenied("destination", source.get(), identity.fullName(), name, decision);
            flowLog.denied(FlowRecord.End.DESTINATION, source.get(), identity.fullName(), name, service.port(),
                    decision);
            stream.reset(ErrorCode.NOT_ALLOWED, decision.reason());
            return null;
        }
        StreamBridge bridge = new StreamBridge(stream.target() + " from '" + source.get() + "' to "
                + service.host() + ":" + service.port(), this::ended);
        MeshStreamHandler handler = connect(stream, source.get(), new InetSocketAddress(service.host(),
                service.port()), bridge);
        flows.put(bridge, flowLog.opened(FlowRecord.End.DESTINATION, source.get(), identity.fullName(), name,
                service.port(), decision));
        return handler;
    }

    /**
     * Accepts the carrier of an end-to-end session that a gateway relayed from {@code source}.
     * Its streams get the policy check of {@link #serve} once the inner TLS session has proved
     * the source.
     */
    private MeshStreamHandler acceptSession(MeshStream carrier, String source) {
        if (!isRelayed(carrier, source)) {
            LOG.info("Mesh: rejected an end-to-end session from {} over a direct tunnel", carrier.tunnel().peer());
            carrier.reset(ErrorCode.UNKNOWN_TARGET, "an end-to-end session is only for streams that a gateway relays");
            return null;
        }
        return sessions.accept(carrier, source);
    }

    /**
     * Accepts a stream for a built-in target of this node without a policy check, because the
     * target authorizes each request itself. Such streams are not flow-logged by the mesh.
     */
    private MeshStreamHandler serveBuiltIn(MeshStream stream, String source, String name) {
        Optional<InetSocketAddress> address = builtInTargets.apply(name);
        if (address.isEmpty()) {
            LOG.info("Mesh: stream for unknown built-in target '{}' from '{}' reset", name, source);
            stream.reset(ErrorCode.UNKNOWN_TARGET, "node '" + identity.fullName() + "' serves no built-in target '"
                    + name + "'");
            return null;
        }
        StreamBridge bridge = new StreamBridge(stream.target() + " from '" + source + "' to " + address.get(),
                ended -> { });
        return connect(stream, source, address.get(), bridge);
    }

    /** Connects an accepted stream to a local TCP address, after the inner TLS session of a relayed stream. */
    private MeshStreamHandler connect(MeshStream stream, String source, InetSocketAddress target,
            StreamBridge bridge) {
        if (isRelayed(stream, source)) {
            // A node before end-to-end sessions relays each stream with its own inner TLS session.
            // The local endpoint gets a connection only once the inner TLS session has proved the source.
            EndToEndStream inner = EndToEndStream.accept(tls, stream, source, bridge);
            inner.whenEstablished(() -> bridge.attach(reactor.connect(stream.tunnel().ioLoop(), target, bridge)));
            bridge.attach(inner);
            return inner;
        }
        bridge.attach(stream);
        bridge.attach(reactor.connect(stream.tunnel().ioLoop(), target, bridge));
        return bridge;
    }

    /** Returns the stream's source node, or empty after resetting a stream whose source is not credible. */
    private Optional<String> sourceOf(MeshStream stream) {
        String peer = stream.tunnel().peer().fullName();
        String claimed = stream.metadata().get(SOURCE);
        if (claimed == null || claimed.equalsIgnoreCase(peer)) {
            return Optional.of(peer);
        }
        if (stream.tunnel().isDialer() && isGateway(peer)) {
            return Optional.of(claimed.toLowerCase(java.util.Locale.ROOT));
        }
        LOG.warn("Mesh: stream {} from {} claims source '{}', but only a configured gateway may relay for another"
                + " node; reset", stream.target(), stream.tunnel().peer(), claimed);
        stream.reset(ErrorCode.NOT_ALLOWED, "source '" + claimed + "' is not the tunnel's peer '" + peer + "'");
        return Optional.empty();
    }

    /**
     * Returns true when a gateway relayed the stream for another source node. Such a stream
     * carries an inner TLS session, whose client certificate must name that source.
     */
    private static boolean isRelayed(MeshStream stream, String source) {
        return !source.equalsIgnoreCase(stream.tunnel().peer().fullName());
    }

    /** Stops tracking a bridge whose stream and connection both ended, and reports its end. */
    private void ended(StreamBridge bridge) {
        FlowLog.Tracked flow = flows.remove(bridge);
        if (flow != null) {
            flowLog.closed(flow, bridge.stream());
        }
    }

    private void recheck(StreamBridge bridge, FlowLog.Tracked flow) {
        if (isRevoked(bridge.stream())) {
            LOG.warn("Mesh: resetting {} because the current state revokes the certificate of the node at its other"
                    + " end", bridge.description());
            if (flows.remove(bridge) != null) {
                flowLog.revoked(flow, bridge.stream());
            }
            bridge.reset(ErrorCode.NOT_ALLOWED, "the certificate of the node at the other end is revoked");
            return;
        }
        Decision decision = policy.decide(flow.source(), flow.destination(), flow.service(), flow.port());
        if (!decision.isAllowed()) {
            String end = flow.destination().equalsIgnoreCase(identity.fullName()) ? "destination" : "source";
            logDenied(end, flow.source(), flow.destination(), flow.service(), decision);
            if (flows.remove(bridge) != null) {
                flowLog.cut(flow, bridge.stream(), decision);
            }
            bridge.reset(ErrorCode.NOT_ALLOWED, decision.reason());
        }
    }

    private boolean isGateway(String fullName) {
        if (fullName.equalsIgnoreCase(identity.fullName())) {
            return settings.isGateway();
        }
        return settings.gateways().stream().anyMatch(gateway -> gateway.fullName().equalsIgnoreCase(fullName));
    }

    /**
     * Returns true when a relayed stream's far end, which the inner TLS session proved, has a
     * revoked certificate. Closing the revoked node's tunnels does not reach such a stream,
     * because it runs over tunnels to a gateway.
     */
    private boolean isRevoked(MeshStream stream) {
        Optional<X509Certificate> peer = stream instanceof EndToEndStream inner ? inner.peerCertificate()
                : sessions.sessionOf(stream.tunnel()).flatMap(EndToEndSession::peerCertificate);
        return peer.map(certificate -> revokedSerials.contains(certificate.getSerialNumber())).orElse(false);
    }

    private boolean isRevoked(MeshTunnel tunnel) {
        X509Certificate certificate = tunnel.peer().certificate();
        return certificate != null && revokedSerials.contains(certificate.getSerialNumber());
    }

    private static void logDenied(String end, String source, String destination, String service, Decision decision) {
        LOG.warn("Mesh policy: {} denied service '{}' from '{}' to '{}': {}", end, service, source, destination,
                decision.reason());
    }

    /**
     * Returns the time after which an end-to-end session that this node opened closes once it
     * has no streams: as long as dead-peer detection takes, the ping interval times the missed
     * pings (45 s by default). A burst of connections to one node shares one handshake, while
     * the session of an unused pair, with its TLS engine and keepalives, ends soon after.
     */
    static Duration sessionIdleClose(MeshSettings mesh) {
        return mesh.pingInterval().multipliedBy(mesh.maxMissedPings());
    }

    private static String shortName(String fullName) {
        int dot = fullName.indexOf('.');
        return dot < 0 ? fullName : fullName.substring(0, dot);
    }

    /**
     * Events of the tunnels of end-to-end sessions: streams that the peer opens in a session
     * get the same checks as those of a direct tunnel, and end here, never relayed further.
     */
    private final class SessionListener implements MeshListener {
        @Override
        public void tunnelOpened(MeshTunnel tunnel) {
            if (isRevoked(tunnel)) {
                LOG.warn("Mesh: closing the end-to-end session with {} because its certificate serial is revoked",
                        tunnel.peer());
                tunnel.close(ErrorCode.PEER_REJECTED, "the certificate serial of this node is revoked");
                return;
            }
            LOG.info("Mesh: end-to-end session {} {} open", tunnel.isDialer() ? "to" : "from", tunnel.peer());
        }

        @Override
        public MeshStreamHandler streamOpened(MeshStream stream) {
            String destination = stream.metadata().getOrDefault(DESTINATION, identity.fullName());
            if (stream.target().equals(EndToEndSession.TARGET) || !destination.equalsIgnoreCase(identity.fullName())) {
                LOG.info("Mesh: rejected stream {} to '{}' in the end-to-end session with {}: sessions carry only"
                        + " streams to their two nodes", stream.target(), destination, stream.tunnel().peer());
                stream.reset(ErrorCode.UNKNOWN_TARGET, "an end-to-end session relays no streams");
                return null;
            }
            // The inner TLS session proved the peer, and no node relays for another inside it.
            String peer = stream.tunnel().peer().fullName();
            String claimed = stream.metadata().getOrDefault(SOURCE, peer);
            if (!claimed.equalsIgnoreCase(peer)) {
                LOG.warn("Mesh: stream {} in the end-to-end session with {} claims source '{}'; reset",
                        stream.target(), stream.tunnel().peer(), claimed);
                stream.reset(ErrorCode.NOT_ALLOWED, "source '" + claimed + "' is not the session's peer '" + peer
                        + "'");
                return null;
            }
            return serve(stream);
        }

        @Override
        public void tunnelClosed(MeshTunnel tunnel) {
            sessions.closed(tunnel);
            LOG.info("Mesh: end-to-end session {} {} closed", tunnel.isDialer() ? "to" : "from", tunnel.peer());
        }
    }

    /** The outbound side of a relay, which also removes the splice once its stream closed. */
    private record RelayEnd(MeshStreamHandler delegate, Runnable closed) implements MeshStreamHandler {
        @Override
        public void onData(MeshStream stream, java.nio.ByteBuffer data) {
            delegate.onData(stream, data);
        }

        @Override
        public void onWritable(MeshStream stream) {
            delegate.onWritable(stream);
        }

        @Override
        public void onFin(MeshStream stream) {
            delegate.onFin(stream);
        }

        @Override
        public void onReset(MeshStream stream, ErrorCode code, String reason) {
            delegate.onReset(stream, code, reason);
        }

        @Override
        public void onClosed(MeshStream stream) {
            closed.run();
        }
    }
}
