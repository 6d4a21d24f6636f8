package io.weft.manager.control.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.api.events.FleetChange;
import io.weft.manager.api.events.FleetChangeListener;
import io.weft.manager.api.presence.NodePresence;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.apps.api.DeploymentListener;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.policy.api.PolicyCompiler;
import io.weft.manager.policy.api.PolicyListener;
import io.weft.manager.pki.api.RevocationListener;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.StoreTransactions;

/**
 * The manager's control plane as a DS component, configured by PID {@value #PID}: it serves
 * the control port, recompiles and pushes the desired state of the nodes that a fleet change,
 * a policy or deployment change, or a revocation affects, serves app bundles to nodes, and
 * reports to the fleet API which nodes are online.
 *
 * <p>A configuration change deactivates the component and activates it again, which closes
 * every control session; nodes reconnect on their own.
 */
@Component(service = { FleetChangeListener.class, RevocationListener.class, NodePresence.class,
        PolicyListener.class, DeploymentListener.class },
        immediate = true,
        configurationPid = ControlPlaneComponent.PID)
@Designate(ocd = ControlPlaneComponent.Config.class)
public class ControlPlaneComponent implements FleetChangeListener, RevocationListener, NodePresence, PolicyListener,
        DeploymentListener {

    static final String PID = "io.weft.manager.control";

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneComponent.class);

    @ObjectClassDefinition(name = "Weft manager control plane",
            description = "The control port that nodes connect to, and the delivery of their desired state.")
    public @interface Config {

        @AttributeDefinition(name = "Host",
                description = "Address that the control server binds: 127.0.0.1 for this host only, 0.0.0.0 for"
                        + " every IPv4 interface.")
        String host() default "127.0.0.1";

        @AttributeDefinition(name = "Port", description = "TCP port of the control server, 0 for a free port.")
        int port() default 7443;

        @AttributeDefinition(name = "Heartbeat interval (seconds)",
                description = "Interval, in seconds, at which nodes send heartbeats. A node that misses 3 in a row"
                        + " is closed and shown offline.")
        int heartbeatIntervalSeconds() default 30;

        @AttributeDefinition(name = "Handler threads",
                description = "Threads that handle received messages, such as acknowledgements and renewals,"
                        + " which may wait for the database.")
        int handlerThreads() default 4;

        @AttributeDefinition(name = "Flush interval (milliseconds)",
                description = "Time, in milliseconds, between two batched writes of last-seen times and"
                        + " acknowledgements to the database.")
        long flushIntervalMillis() default 2000;
    }

    private final ControlPlane plane;

    @Activate
    public ControlPlaneComponent(@Reference ManagerPki pki, @Reference FleetStore fleet,
            @Reference ControlStore controlStore, @Reference StoreTransactions transactions,
            @Reference FlowStore flowStore, @Reference PolicyCompiler policyCompiler, @Reference AppDeployments apps,
            Config config) {
        ControlPlaneSettings settings = new ControlPlaneSettings(config.host(), config.port(),
                config.heartbeatIntervalSeconds(), config.handlerThreads(),
                Duration.ofMillis(config.flushIntervalMillis()));
        this.plane = new ControlPlane(pki, fleet, controlStore, transactions, flowStore, settings,
                new CompiledPolicySource(policyCompiler), apps, Clock.systemUTC());

        InetSocketAddress bound = start(plane, settings);
        LOG.info("Control plane: started on {} (heartbeat {} s, {} handler threads, flush every {} ms)", bound,
                settings.heartbeatIntervalSeconds(), settings.handlerThreads(), settings.flushInterval().toMillis());
    }

    @Deactivate
    void deactivate() {
        plane.close();
        LOG.info("Control plane: stopped");
    }

    @Override
    public void changed(FleetChange change) {
        plane.changed(change);
    }

    /** Recompiles every node, because any rule may concern any node. */
    @Override
    public void policyChanged(long version) {
        plane.recompileAll();
    }

    /** Recompiles every node, because a deployment may target any node. */
    @Override
    public void deploymentsChanged() {
        plane.recompileAll();
    }

    @Override
    public void revoked(String nodeId, Set<BigInteger> revoked) {
        plane.revoked(nodeId);
    }

    @Override
    public boolean isOnline(String nodeId) {
        return plane.isOnline(nodeId);
    }

    @Override
    public Optional<Instant> lastSeen(String nodeId) {
        return plane.lastSeen(nodeId);
    }

    private static InetSocketAddress start(ControlPlane plane, ControlPlaneSettings settings) {
        try {
            return plane.start();
        } catch (IOException e) {
            plane.close();
            throw new UncheckedIOException("Binding the control server to " + settings.host() + ":" + settings.port()
                    + " failed. Free the port or set another one in " + PID, e);
        }
    }
}
