package io.weft.node.edge.internal;

/**
 * Validated settings of the Edge API.
 *
 * @see EdgeApiConfig for the meaning and unit of each
 */
record EdgeSettings(String host, int port, int maxBodyBytes, long defaultTimeoutMillis, long maxTimeoutMillis,
        double ratePerSecond, int burst, int workerThreads, int maxStreams) {

    EdgeSettings {
        require(host != null && !host.isBlank(), "host", host, "an address such as 127.0.0.1");
        require(port >= 1 && port <= 65_535, "port", port, "a port from 1 to 65535");
        require(maxBodyBytes >= 0, "maxBodyBytes", maxBodyBytes, "a number of bytes, 0 or more");
        require(defaultTimeoutMillis > 0, "defaultTimeoutMillis", defaultTimeoutMillis, "a positive number");
        require(maxTimeoutMillis >= defaultTimeoutMillis, "maxTimeoutMillis", maxTimeoutMillis,
                "at least defaultTimeoutMillis (" + defaultTimeoutMillis + ")");
        require(ratePerSecond > 0, "ratePerSecond", ratePerSecond, "a positive number");
        require(burst >= 1, "burst", burst, "1 or more");
        require(workerThreads >= 1 && workerThreads <= 1024, "workerThreads", workerThreads, "1 to 1024");
        require(maxStreams >= 1 && maxStreams <= 4096, "maxStreams", maxStreams, "1 to 4096");
    }

    /**
     * Validates a configuration.
     *
     * @throws IllegalArgumentException naming the key, its value and the values allowed
     */
    static EdgeSettings of(EdgeApiConfig config) {
        return new EdgeSettings(config.host().strip(), config.port(), config.maxBodyBytes(),
                config.defaultTimeoutMillis(), config.maxTimeoutMillis(), config.ratePerSecond(), config.burst(),
                config.workerThreads(), config.maxStreams());
    }

    /** Returns the deadline of an operation: its own, or the default, capped at the maximum. */
    long timeoutMillis(OperationDeclaration declaration) {
        long own = declaration.timeoutMillis();
        return Math.min(own == 0 ? defaultTimeoutMillis : own, maxTimeoutMillis);
    }

    private static void require(boolean valid, String key, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException("Invalid " + key + " '" + value + "' in PID " + EdgeApiConfig.PID
                    + ": set " + expected);
        }
    }
}
