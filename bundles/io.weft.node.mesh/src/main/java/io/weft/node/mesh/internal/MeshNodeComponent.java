package io.weft.node.mesh.internal;

import io.weft.mesh.MeshSettings;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeState;
import io.weft.node.agent.api.NodeStateListener;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's mesh, configured by PID {@value #PID}: builds a {@link MeshNode} from the node's
 * identity and this configuration, rebuilds it when the identity changes, and hands every
 * applied state to it. A configuration change restarts the component and so every tunnel.
 */
@Component(name = MeshNodeComponent.PID, configurationPid = MeshNodeComponent.PID, immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {NodeStateListener.class, MeshNodeAccess.class})
@Designate(ocd = MeshNodeComponent.Config.class)
public final class MeshNodeComponent implements NodeStateListener, MeshNodeAccess {

    static final String PID = "io.weft.mesh";

    private static final Logger LOG = LoggerFactory.getLogger(MeshNodeComponent.class);
    /** Flow events that {@code weft:flows} shows at most. */
    static final int RECENT_FLOWS = 100;

    @ObjectClassDefinition(name = "Weft mesh",
            description = "The node's mesh: a gateway listener, the gateways that this node dials, and stream limits.")
    public @interface Config {

        @AttributeDefinition(name = "Listen address", description = "The address of the gateway listener that other"
                + " nodes dial, 127.0.0.1 unless set. Used only with a listen port.")
        String listenAddress() default "127.0.0.1";

        @AttributeDefinition(name = "Listen port", description = "The TCP port of the gateway listener, from 1 to"
                + " 65535. 0 means no listener, as on an edge node.")
        int listenPort() default 0;

        @AttributeDefinition(name = "Gateways", description = "The gateways that this node dials, each as"
                + " <nodeFullName>@<host>:<port>, such as gw1.east.acme.example@10.0.0.5:7500.")
        String[] gateways() default {};

        @AttributeDefinition(name = "Stream idle timeout", description = "Seconds without data in either direction"
                + " after which a stream and its TCP connection are reset. 0 disables the timeout.")
        long streamIdleTimeoutSeconds() default 600;

        @AttributeDefinition(name = "Relayed tunnels", description = "True lets this node ask its gateway for a"
                + " relayed tunnel to each node that it reaches through the gateway: a TLS connection between the"
                + " two nodes that the gateway splices, which later streams to that node take. False keeps those"
                + " streams in the end-to-end session inside the tunnels to the gateway, and declines the relayed"
                + " tunnels that other nodes ask for.")
        boolean relayedTunnels() default true;
    }

    private final MeshNodeSettings settings;
    private final NodeState nodeState;
    private final TcpReactor reactor = new TcpReactor("mesh");
    private final Map<String, ExposedService> services = new ConcurrentHashMap<>();
    private final Map<String, BuiltInTarget> builtInTargets = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "weft-mesh-control");
        thread.setDaemon(true);
        return thread;
    });
    private volatile MeshNode node;
    /** The latest flow events, oldest first, for {@code weft:flows}. */
    private final java.util.ArrayDeque<FlowEvent> recentFlows = new java.util.ArrayDeque<>();
    /** The agent's sink for flow records; while it is absent, flow events are dropped. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FlowRecordSink flowSink;
    private Identity builtFor;

    @Activate
    public MeshNodeComponent(@Reference NodeState nodeState, Config config) {
        this.nodeState = nodeState;
        this.settings = settings(config);
        LOG.info("Mesh: configured with listener {}, gateways {}, stream idle timeout {} s, relayed tunnels {}",
                settings.listenAddress().map(Object::toString).orElse("none"), settings.gateways(),
                settings.mesh().streamIdleTimeout().toSeconds(), settings.relayedTunnels() ? "on" : "off");
        executor.execute(() -> nodeState.identity().ifPresent(this::rebuild));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addService(ServiceEntry entry) {
        ExposedService service = entry.service();
        services.put(service.name(), service);
        LOG.info("Mesh: exposing service '{}' at {}:{}", service.name(), service.host(), service.port());
    }

    void removeService(ServiceEntry entry) {
        services.remove(entry.service().name(), entry.service());
        LOG.info("Mesh: no longer exposing service '{}'", entry.service().name());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBuiltInTarget(BuiltInTarget target) {
        builtInTargets.put(target.name(), target);
        LOG.info("Mesh: serving built-in target '{}'", target.name());
    }

    void removeBuiltInTarget(BuiltInTarget target) {
        builtInTargets.remove(target.name(), target);
        LOG.info("Mesh: no longer serving built-in target '{}'", target.name());
    }

    @Override
    public void identityChanged(Identity identity) {
        submit("the new identity", () -> rebuild(identity));
    }

    @Override
    public void stateApplied(AppliedState state) {
        submit("state revision " + state.revision(), () -> {
            MeshNode current = node;
            if (current != null) {
                current.applyState(state);
            }
        });
    }

    /**
     * Runs {@code task} on the mesh's thread. A callback that reaches this component after it
     * was deactivated, as when a configuration change replaces it, is dropped: the replacement
     * starts from the node's current identity and applied state.
     */
    private void submit(String event, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Mesh: {} arrived after this mesh component stopped; its replacement starts with the node's"
                    + " current state", event);
        }
    }

    @Override
    public Optional<MeshNode> node() {
        return Optional.ofNullable(node);
    }

    @Override
    public TcpReactor reactor() {
        return reactor;
    }

    @Override
    public List<FlowEvent> recentFlows() {
        synchronized (recentFlows) {
            List<FlowEvent> newestFirst = new ArrayList<>(recentFlows);
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }
    }

    private void recordFlow(FlowEvent event) {
        synchronized (recentFlows) {
            if (recentFlows.size() == RECENT_FLOWS) {
                recentFlows.poll();
            }
            recentFlows.add(event);
        }
        FlowRecordSink sink = flowSink;
        if (sink != null) {
            sink.record(event);
        }
    }

    private Optional<InetSocketAddress> builtInAddress(String name) {
        BuiltInTarget target = builtInTargets.get(name);
        return target == null ? Optional.empty() : target.address();
    }

    /** Returns the exposed services by name, for {@code weft:services}. */
    Map<String, ExposedService> services() {
        return Map.copyOf(services);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MeshNode current = node;
        if (current != null) {
            current.close();
        }
        reactor.close();
    }

    /** Replaces the mesh node when the identity differs from the one it was built for. Runs on the executor. */
    private void rebuild(Identity identity) {
        if (builtFor != null && builtFor.certificate().equals(identity.certificate())) {
            return;
        }
        MeshNode previous = node;
        if (previous != null) {
            previous.close();
        }
        MeshNode created = new MeshNode(identity, settings, nodeState.appliedState(), reactor, services::get,
                this::builtInAddress, this::recordFlow, Clock.systemUTC(), new SecureRandom());
        try {
            created.start();
        } catch (IOException | RuntimeException e) {
            LOG.error("Mesh: starting node '{}' failed, so it has no mesh until its identity or configuration"
                    + " changes: {}", identity.fullName(), e.toString());
            created.close();
            node = null;
            return;
        }
        builtFor = identity;
        node = created;
    }

    private static MeshNodeSettings settings(Config config) {
        Optional<InetSocketAddress> listen = Optional.empty();
        if (config.listenPort() != 0) {
            if (config.listenPort() < 1 || config.listenPort() > 65535) {
                throw new IllegalArgumentException("Invalid " + PID + " listenPort " + config.listenPort()
                        + ": it must be from 1 to 65535, or 0 for no listener");
            }
            listen = Optional.of(new InetSocketAddress(config.listenAddress().strip(), config.listenPort()));
        }
        List<GatewayAddress> gateways = new ArrayList<>();
        for (String entry : config.gateways()) {
            if (!entry.isBlank()) {
                gateways.add(GatewayAddress.parse(entry));
            }
        }
        MeshSettings mesh = MeshSettings.defaults()
                .withStreamIdleTimeout(Duration.ofSeconds(Math.max(0, config.streamIdleTimeoutSeconds())));
        return new MeshNodeSettings(listen, gateways, mesh, config.relayedTunnels());
    }
}
