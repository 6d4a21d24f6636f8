package io.weft.manager.store;

/**
 * Failure of the store. This base class itself stands for a database failure (unreachable
 * server, full disk, SQL error); the subclasses stand for requests that the current data
 * rejects.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
