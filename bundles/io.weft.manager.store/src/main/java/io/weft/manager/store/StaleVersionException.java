package io.weft.manager.store;

/**
 * Rejects an update or delete whose expected version is not the stored version, because
 * another writer changed the entity after the caller read it. The caller reads the entity
 * again and decides whether to repeat its change.
 */
public class StaleVersionException extends ConflictException {

    private static final long serialVersionUID = 1L;

    private final long expectedVersion;
    private final long actualVersion;

    /**
     * @param entity kind of the entity: {@code domain}, {@code node}, {@code profile} or
     *        {@code operator}
     * @param key its name or id
     * @param expectedVersion the version that the caller named
     * @param actualVersion the stored version
     */
    public StaleVersionException(String entity, String key, long expectedVersion, long actualVersion) {
        super(Reason.STALE_VERSION, entity + " '" + key + "' is at version " + actualVersion + ", not at "
                + expectedVersion + "; read it again before changing it");
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
