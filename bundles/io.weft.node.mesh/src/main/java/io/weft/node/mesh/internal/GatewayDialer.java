package io.weft.node.mesh.internal;

import io.weft.control.ExponentialBackoff;
import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshTunnel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps one tunnel to a gateway open: dials, and dials again with backoff after a failure or a close. */
final class GatewayDialer {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayDialer.class);
    private static final Duration BACKOFF_BASE = Duration.ofMillis(500);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);

    private final GatewayAddress gateway;
    private final MeshEndpoint endpoint;
    private final ScheduledExecutorService scheduler;
    private final ExponentialBackoff backoff;
    private volatile MeshTunnel tunnel;
    private volatile boolean stopped;

    GatewayDialer(GatewayAddress gateway, MeshEndpoint endpoint, ScheduledExecutorService scheduler,
            RandomGenerator random) {
        this.gateway = gateway;
        this.endpoint = endpoint;
        this.scheduler = scheduler;
        this.backoff = new ExponentialBackoff(BACKOFF_BASE, BACKOFF_CAP, random);
    }

    GatewayAddress gateway() {
        return gateway;
    }

    void start() {
        scheduler.execute(this::dial);
    }

    /** Dials again after a backoff delay, because the tunnel of this dialer closed. */
    void tunnelClosed(MeshTunnel closed) {
        if (closed == tunnel && !stopped) {
            tunnel = null;
            retry("the tunnel closed");
        }
    }

    void stop() {
        stopped = true;
        MeshTunnel current = tunnel;
        if (current != null) {
            current.close();
        }
    }

    private void dial() {
        if (stopped) {
            return;
        }
        InetSocketAddress resolved = new InetSocketAddress(gateway.address().getHostString(), gateway.address().getPort());
        if (resolved.isUnresolved()) {
            retry("its host '" + gateway.address().getHostString() + "' is not found");
            return;
        }
        endpoint.dial(resolved, gateway.fullName()).whenComplete((opened, failure) -> {
            if (failure != null) {
                retry(failure.getMessage());
            } else if (stopped) {
                opened.close();
            } else {
                tunnel = opened;
                backoff.reset();
                LOG.info("Mesh: tunnel to gateway {} open", gateway);
            }
        });
    }

    private void retry(String reason) {
        if (stopped) {
            return;
        }
        Duration delay = backoff.nextDelay();
        LOG.warn("Mesh: no tunnel to gateway {} because {}; dialling again in {} ms (attempt {})", gateway, reason,
                delay.toMillis(), backoff.failures());
        try {
            scheduler.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Mesh: the node stopped, so gateway {} is not dialled again", gateway);
        }
    }
}
