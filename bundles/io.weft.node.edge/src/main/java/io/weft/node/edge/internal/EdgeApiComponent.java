package io.weft.node.edge.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeStateListener;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.node.mesh.api.MeshRoutes;
import io.weft.pki.TlsContexts;
import io.weft.pki.TrustVerifier;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.policy.Policy;
import io.weft.policy.PolicyDocument;

/**
 * The node's Edge API: starts the HTTPS listener once the node has an identity, restarts it
 * with a renewed certificate, and keeps the caller checks in step with the applied state
 * (revoked serials and policy). It is also the mesh's built-in target {@value BuiltInTarget#EDGE_API},
 * through which other nodes forward calls. Before enrollment nothing listens. When the port is taken, it
 * tries again every {@value #BIND_RETRY_MILLIS} ms, up to {@value #MAX_BIND_ATTEMPTS} attempts:
 * at a node's first enrollment the listener starts on the default port before the desired
 * state moves it, so nodes on one machine take the default port from each other for a moment.
 */
@Component(service = {NodeStateListener.class, BuiltInTarget.class}, configurationPid = EdgeApiConfig.PID,
        immediate = true)
@Designate(ocd = EdgeApiConfig.class)
public class EdgeApiComponent implements NodeStateListener, BuiltInTarget {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeApiComponent.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    static final long BIND_RETRY_MILLIS = 2_000;
    static final int MAX_BIND_ATTEMPTS = 30;
    private static final long RELAY_READ_MARGIN_MILLIS = 10_000;

    private final OperationRegistry registry;
    private final EdgeSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final OperationInvoker invoker;
    private final EdgeApiHandler handler;
    // One thread starts and stops the listener, so the agent's thread returns at once.
    private final ScheduledThreadPoolExecutor lifecycle = lifecycleExecutor();

    private volatile Identity identity;
    private volatile Set<BigInteger> revokedSerials = Set.of();
    private volatile Optional<X509Certificate> stateSigner = Optional.empty();
    private volatile Policy policy = Policy.empty();
    private volatile PeerDirectory peers = PeerDirectory.empty();
    private volatile EdgeContext context;
    private volatile InetSocketAddress listening;
    private EdgeServer server;
    /** The mesh's routes to other nodes; while it is absent, calls for apps of other nodes get 502. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MeshRoutes meshRoutes;
    /** The node agent's sink for flow records. While it is absent, the flow records of calls are dropped. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FlowRecordSink flowSink;
    private final AtomicLong invalidFlowRecords = new AtomicLong();

    @Activate
    public EdgeApiComponent(@Reference OperationRegistry registry, @Reference AppLocationsComponent locations,
            EdgeApiConfig config) {
        this.registry = registry;
        this.settings = EdgeSettings.of(config);
        this.invoker = new OperationInvoker(settings.workerThreads(), settings.maxStreams(), clock);
        CallForwarder forwarder = new CallForwarder(new RemoteEdgeApi(() -> meshRoutes), relayReadTimeoutMillis());
        this.handler = new EdgeApiHandler(registry, () -> context, settings, invoker, clock, locations::locations,
                forwarder, this::recordFlow);
        LOG.info("Edge API: settings {}", settings);
    }

    /** Returns the name of the Edge API's mesh target, through which other nodes forward calls to this node. */
    @Override
    public String name() {
        return BuiltInTarget.EDGE_API;
    }

    /** Returns the listener's address for the mesh, the loopback address when it listens on every address. */
    @Override
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(listening);
    }

    @Override
    public void identityChanged(Identity newIdentity) {
        identity = newIdentity;
        updateContext();
        lifecycle.execute(() -> restart(newIdentity));
    }

    @Override
    public void stateApplied(AppliedState state) {
        revokedSerials = state.revokedSerials();
        stateSigner = state.signer();
        policy = policyOf(state);
        peers = state.peers();
        updateContext();
    }

    /** Stops the listener before returning, so that a new instance can bind the port at once. */
    @Deactivate
    void deactivate() throws InterruptedException {
        lifecycle.execute(this::stop);
        lifecycle.shutdown();
        if (!lifecycle.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("Edge API: the HTTPS listener did not stop within {} s", STOP_TIMEOUT_SECONDS);
        }
        invoker.close();
    }

    /** Hands a call's flow event to the agent's sink, whose bounded buffer drops the oldest instead of blocking. */
    private void recordFlow(FlowEvent event) {
        FlowRecordSink sink = flowSink;
        if (sink == null) {
            return;
        }
        try {
            sink.record(event);
        } catch (IllegalArgumentException e) {
            // A record that breaks a rule of the control protocol must not fail the call it describes.
            long count = invalidFlowRecords.incrementAndGet();
            if (count == 1) {
                LOG.warn("Edge API: dropped the invalid flow record of {}/{}: {}", event.call().app(),
                        event.call().operation(), e.getMessage());
            } else {
                LOG.debug("Edge API: dropped invalid flow record {} of {}/{}: {}", count, event.call().app(),
                        event.call().operation(), e.getMessage());
            }
        }
    }

    private void updateContext() {
        Identity current = identity;
        if (current == null) {
            return;
        }
        TrustVerifier trust = new TrustVerifier(current.rootCertificate(), () -> revokedSerials, clock);
        PeerDirectory currentPeers = peers;
        NodeSubject self = currentPeers.subjectOf(current.fullName());
        List<X509Certificate> issuers = current.certificateChain().subList(1, current.certificateChain().size());
        SSLContext relayTls = TlsContexts.sslContext(TlsContexts.keyManager(current.privateKey(),
                current.certificateChain()), TlsContexts.trustManager(trust), new SecureRandom());
        context = new EdgeContext(new CallerAuthenticator(trust, issuers, stateSigner, () -> revokedSerials,
                currentPeers, clock),
                new CallAuthorizer(policy, self, currentPeers), self.name(), relayTls);
    }

    private void restart(Identity current) {
        start(current, 1);
    }

    private void start(Identity current, int attempt) {
        stop();
        TrustVerifier trust = new TrustVerifier(current.rootCertificate(), () -> revokedSerials, clock);
        SSLContext tls = TlsContexts.sslContext(TlsContexts.keyManager(current.privateKey(),
                current.certificateChain()), TlsContexts.trustManager(trust), new SecureRandom());
        EdgeServer started = new EdgeServer(settings, tls, handler);
        try {
            started.start();
            server = started;
            listening = meshAddress(started.address());
            LOG.info("Edge API: listening on https://{}:{} as {} with {} operations", settings.host(),
                    started.address().getPort(), current.fullName(), registry.size());
        } catch (Exception e) {
            closeQuietly(started);
            retryOrGiveUp(current, attempt, e);
        }
    }

    /** Schedules another start unless the attempts are used up; the first and the last failure are logged. */
    private void retryOrGiveUp(Identity current, int attempt, Exception failure) {
        if (attempt >= MAX_BIND_ATTEMPTS) {
            LOG.error("Edge API: starting the HTTPS listener on {}:{} failed {} times; set host and port in PID {}",
                    settings.host(), settings.port(), attempt, EdgeApiConfig.PID, failure);
            return;
        }
        if (attempt == 1) {
            LOG.warn("Edge API: starting the HTTPS listener on {}:{} failed; trying again every {} ms: {}",
                    settings.host(), settings.port(), BIND_RETRY_MILLIS, failure.toString());
        } else {
            LOG.debug("Edge API: attempt {} to start the HTTPS listener failed: {}", attempt, failure.toString());
        }
        try {
            lifecycle.schedule(() -> startIfCurrent(current, attempt + 1), BIND_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Edge API: no further start, the component is stopping");
        }
    }

    /** Starts again unless a newer identity has arrived, whose own start supersedes this one. */
    private void startIfCurrent(Identity failed, int attempt) {
        if (server == null && identity == failed) {
            start(failed, attempt);
        }
    }

    private void stop() {
        if (server != null) {
            listening = null;
            closeQuietly(server);
            server = null;
            LOG.info("Edge API: stopped the HTTPS listener");
        }
    }

    /** Returns the longest wait for a byte of another node's response: the longest deadline plus a margin. */
    private int relayReadTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, settings.maxTimeoutMillis() + RELAY_READ_MARGIN_MILLIS);
    }

    private static InetSocketAddress meshAddress(InetSocketAddress bound) {
        if (bound.getAddress() != null && bound.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort());
        }
        return bound;
    }

    private static ScheduledThreadPoolExecutor lifecycleExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "weft-edge-lifecycle");
            thread.setDaemon(true);
            return thread;
        });
        // Deactivation shuts the executor down; a pending retry must not start a listener after it.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    private static void closeQuietly(EdgeServer edgeServer) {
        try {
            edgeServer.close();
        } catch (Exception e) {
            LOG.warn("Edge API: stopping the HTTPS listener failed", e);
        }
    }

    private static Policy policyOf(AppliedState state) {
        if (state.hasNoPolicy()) {
            return Policy.empty();
        }
        try {
            return PolicyDocument.parse(state.policyJson()).policy();
        } catch (InvalidPolicyException e) {
            LOG.error("Edge API: the policy of state revision {} is invalid, so every call is denied: {}",
                    state.revision(), e.getMessage());
            return Policy.empty();
        }
    }
}
