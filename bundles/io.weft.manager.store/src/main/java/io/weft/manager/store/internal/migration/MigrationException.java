package io.weft.manager.store.internal.migration;

import io.weft.manager.store.StoreException;

/** Failure to bring a database schema to the version that this code expects. */
public class MigrationException extends StoreException {

    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
