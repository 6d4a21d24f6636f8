package io.weft.app.api;

import org.osgi.annotation.versioning.ProviderType;

/** Writes server-sent events to the caller of a {@link StreamingOperation}. Thread-safe. */
@ProviderType
public interface EventSink {

    /**
     * Sends one event and flushes it to the caller.
     *
     * @param event the event name for the {@code event:} field: 1 to 64 letters, digits, '-' and '_'
     * @param data  the event's data as a JSON value: a {@code Map} with String keys, a
     *              {@code List}, a String, Number or Boolean, nested freely, or null
     * @return false when the sink is closed because the caller left or the deadline passed
     * @throws IllegalArgumentException when the name is invalid or the data cannot be written as JSON
     */
    boolean send(String event, Object data);

    /** Returns true until the caller leaves, the deadline passes or the operation returns. */
    boolean isOpen();
}
