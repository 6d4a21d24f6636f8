package io.weft.mesh.internal;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Items that a consumer takes one at a time, in the order they were added, on whichever
 * thread calls {@link #drain()} first. A thread that finds another draining returns at once,
 * and the draining thread takes its items too. So the consumer never runs concurrently with
 * itself, never reenters, and runs without any lock of the caller held.
 */
final class SerialQueue<T> {

    private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);

    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final Consumer<T> consumer;
    private boolean draining;

    SerialQueue(Consumer<T> consumer) {
        this.consumer = consumer;
    }

    synchronized void add(T item) {
        items.add(item);
    }

    void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            T item;
            synchronized (this) {
                item = items.poll();
                if (item == null) {
                    draining = false;
                    return;
                }
            }
            try {
                consumer.accept(item);
            } catch (RuntimeException e) {
                LOG.error("Mesh: a queued task failed", e);
            }
        }
    }
}
