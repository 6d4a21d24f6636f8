package io.weft.node.mesh.internal;

import io.weft.control.ExponentialBackoff;
import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshTunnel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one tunnel to a gateway open: dials, and dials again with backoff after a failure or a
 * close. A completed TLS handshake does not reset the backoff, because a gateway may close each
 * new tunnel at once. Only a tunnel that stays open for {@code stableAfter} resets it.
 */
final class GatewayDialer {

    static final Duration BACKOFF_BASE = Duration.ofMillis(500);
    static final Duration BACKOFF_CAP = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayDialer.class);

    private final GatewayAddress gateway;
    private final MeshEndpoint endpoint;
    private final ScheduledExecutorService scheduler;
    private final Duration stableAfter;
    private final RandomGenerator random;
    private final ExponentialBackoff backoff;
    private volatile MeshTunnel tunnel;
    private volatile boolean stopped;
    private volatile Duration lastDelay;
    private volatile String lastReason;
    /** System.nanoTime() when the current tunnel opened. */
    private volatile long openedNanos;
    /** Reason of the last retry logged at WARN, or null while the tunnel is stable. Guarded by this. */
    private String loggedReason;

    /**
     * @param stableAfter time a tunnel must stay open before the backoff starts again from its
     *                    base. MeshNode passes the mesh ping interval, so a stable tunnel has
     *                    outlived one keepalive interval.
     */
    GatewayDialer(GatewayAddress gateway, MeshEndpoint endpoint, ScheduledExecutorService scheduler,
            Duration stableAfter, RandomGenerator random) {
        this.gateway = gateway;
        this.endpoint = endpoint;
        this.scheduler = scheduler;
        this.stableAfter = Objects.requireNonNull(stableAfter, "stableAfter");
        this.random = random;
        this.backoff = new ExponentialBackoff(BACKOFF_BASE, BACKOFF_CAP, random);
    }

    GatewayAddress gateway() {
        return gateway;
    }

    void start() {
        scheduler.execute(this::dial);
    }

    /** Returns the number of retries since the last stable tunnel. */
    int failures() {
        return backoff.failures();
    }

    /** Returns the delay of the last scheduled retry, null before the first one. */
    Duration lastDelay() {
        return lastDelay;
    }

    /** Returns the reason of the last scheduled retry, null before the first one. */
    String lastReason() {
        return lastReason;
    }

    /** Dials again after a backoff delay, because the tunnel of this dialer closed. */
    void tunnelClosed(MeshTunnel closed) {
        if (closed != tunnel || stopped) {
            return;
        }
        tunnel = null;
        if (closed.peerGoAwayCode().filter(code -> code == ErrorCode.PEER_REJECTED).isPresent()) {
            retryAfterRejection();
        } else {
            retry(closeReason(closed), backoff.nextDelay());
        }
    }

    /** Returns why {@code closed} closed: before it counted as stable, or after how long open. */
    private String closeReason(MeshTunnel closed) {
        long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedNanos);
        if (openMillis < stableAfter.toMillis()) {
            return "the tunnel closed before it stayed open for " + stableAfter.toMillis() + " ms";
        }
        String goAway = closed.peerGoAwayCode().map(code -> " with GOAWAY " + code).orElse("");
        return "the tunnel closed" + goAway + " after " + Duration.ofMillis(openMillis).toSeconds() + " s open";
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
            retry("its host '" + gateway.address().getHostString() + "' is not found", backoff.nextDelay());
            return;
        }
        endpoint.dial(resolved, gateway.fullName()).whenComplete((opened, failure) -> {
            if (failure != null) {
                retry(failure.getMessage(), backoff.nextDelay());
            } else if (stopped) {
                opened.close();
            } else {
                opened(opened);
            }
        });
    }

    private void opened(MeshTunnel opened) {
        openedNanos = System.nanoTime();
        tunnel = opened;
        if (isFailing()) {
            LOG.debug("Mesh: tunnel to gateway {} open, stable after {} ms", gateway, stableAfter.toMillis());
        } else {
            LOG.info("Mesh: tunnel to gateway {} open", gateway);
        }
        schedule(() -> checkStable(opened), stableAfter);
    }

    /** Starts the backoff again from its base once {@code opened} stayed open for {@link #stableAfter}. */
    private void checkStable(MeshTunnel opened) {
        if (opened != tunnel || !opened.isOpen()) {
            return;
        }
        backoff.reset();
        synchronized (this) {
            if (loggedReason != null) {
                LOG.info("Mesh: tunnel to gateway {} stable again after failures ({})", gateway, loggedReason);
                loggedReason = null;
            }
        }
    }

    /**
     * Schedules the next dial after half to all of the maximum delay, because the gateway rejected
     * this node's certificate and will do so again until the node enrolls again.
     */
    private void retryAfterRejection() {
        backoff.nextDelay();
        long capMillis = BACKOFF_CAP.toMillis();
        Duration delay = Duration.ofMillis(capMillis / 2 + random.nextLong(capMillis / 2 + 1));
        retry("the gateway rejected this node's certificate (GOAWAY " + ErrorCode.PEER_REJECTED
                + "): it may be revoked, so enroll the node again", delay);
    }

    /** Schedules the next dial, logging at WARN only when {@code reason} differs from the last one logged. */
    private void retry(String reason, Duration delay) {
        if (stopped) {
            return;
        }
        lastDelay = delay;
        lastReason = reason;
        boolean repeated;
        synchronized (this) {
            repeated = reason.equals(loggedReason);
            loggedReason = reason;
        }
        if (repeated) {
            LOG.debug("Mesh: no tunnel to gateway {} because {}; dialling again in {} ms (attempt {})", gateway,
                    reason, delay.toMillis(), backoff.failures());
        } else {
            LOG.warn("Mesh: no tunnel to gateway {} because {}; dialling again in {} ms (attempt {}), and repeats "
                    + "of this reason are logged at DEBUG", gateway, reason, delay.toMillis(), backoff.failures());
        }
        schedule(this::dial, delay);
    }

    private synchronized boolean isFailing() {
        return loggedReason != null;
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Mesh: the node stopped, so gateway {} is not dialled again", gateway);
        }
    }
}
