package io.weft.mesh;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The I/O thread of a tunnel, which can serve other channels too. A TCP connection bridged to a
 * stream and served by this thread carries both directions of the stream on one thread, as a
 * proxy with a thread per connection does. So no message waits for a second thread to wake up.
 */
@ProviderType
public interface IoLoop {

    /** Events of a channel registered with {@link #register}, on the loop's thread. */
    interface ChannelHandler {

        /** Reports that the channel is ready for the operations in {@code key.readyOps()}. */
        void ready(SelectionKey key);

        /**
         * Reports that the loop stopped, because its endpoint closed. The channel is no longer
         * served, so the handler closes it.
         */
        void loopClosed();
    }

    /**
     * Runs {@code task} on the loop's thread, after the tasks queued before it.
     *
     * @return false when the loop has stopped, and then the task does not run
     */
    boolean execute(Runnable task);

    /** Returns true on the loop's thread. */
    boolean inLoop();

    /**
     * Registers {@code channel}, which must be in non-blocking mode, for {@code ops}. Call on the
     * loop's thread. Cancel the returned key, or close the channel, to end the registration.
     */
    SelectionKey register(SelectableChannel channel, int ops, ChannelHandler handler) throws IOException;
}
