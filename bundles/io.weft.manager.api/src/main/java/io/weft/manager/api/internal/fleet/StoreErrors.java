package io.weft.manager.api.internal.fleet;

import java.util.function.Supplier;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.Response;

import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.StoreException;

/**
 * Translates the store's rejections into the exceptions that the REST API's error mapper turns
 * into responses, so that the REST bundle never depends on a store type: a missing entity becomes
 * 404, a duplicate or a non-empty domain 409, and a stale version 412 with the current ETag.
 * A plain {@link StoreException} is a database failure and passes unchanged, so it ends as an
 * internal error with an error id.
 */
public final class StoreErrors {

    private StoreErrors() {
    }

    /** Runs one store call and translates its rejections. */
    public static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (io.weft.manager.store.StaleVersionException e) {
            throw new StaleVersionException(e.expectedVersion(), e.actualVersion());
        } catch (ConflictException e) {
            throw conflict(e.getMessage(), e);
        } catch (io.weft.manager.store.NotFoundException e) {
            throw new NotFoundException(e.getMessage(), e);
        }
    }

    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    static ClientErrorException conflict(String message, Throwable cause) {
        return new ClientErrorException(message, Response.Status.CONFLICT, cause);
    }
}
