package io.weft.manager.control.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Validated settings of the control plane.
 *
 * @param host                     address that the control server binds, such as {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port                     TCP port of the control server, 0 for a free port
 * @param heartbeatIntervalSeconds interval, in seconds, that the manager sets for the heartbeats of nodes
 * @param handlerThreads           threads that handle received messages, which may wait for the database
 * @param flushInterval            time between two batched writes of last-seen times and acknowledgements
 */
record ControlPlaneSettings(String host, int port, int heartbeatIntervalSeconds, int handlerThreads,
        Duration flushInterval) {

    ControlPlaneSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (host.isBlank()) {
            throw new IllegalArgumentException("The control server host is empty: set an address such as 0.0.0.0");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid control server port " + port + ": expected 0 to 65535");
        }
        if (heartbeatIntervalSeconds < 1) {
            throw new IllegalArgumentException("Invalid heartbeat interval " + heartbeatIntervalSeconds
                    + " s: expected at least 1 s");
        }
        if (handlerThreads < 1) {
            throw new IllegalArgumentException("Invalid number of handler threads " + handlerThreads
                    + ": expected at least 1, because handlers wait for the database");
        }
        if (flushInterval.toMillis() < 1) {
            throw new IllegalArgumentException("Invalid flush interval " + flushInterval + ": expected at least 1 ms");
        }
    }
}
