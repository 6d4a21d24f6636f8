package io.weft.manager.rest.api;

/**
 * Rejects an update whose {@code If-Match} names an older version than the stored one. The API
 * responds with 412, error code {@code stale_version} and the current {@code ETag}, so the client
 * can read the resource again and retry.
 */
public class StaleVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long expectedVersion;
    private final long currentVersion;

    public StaleVersionException(long expectedVersion, long currentVersion) {
        super("the resource is at version " + currentVersion + " but If-Match names version "
                + expectedVersion + "; read it again and retry with its current ETag");
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
