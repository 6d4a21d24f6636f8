package io.weft.app.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Operation that responds with a stream of server-sent events, registered as an OSGi service
 * with the properties of {@link EdgeOperation}. The Edge API calls {@link #stream} on a worker
 * thread. The stream ends when the method returns, the caller disconnects or the call passes
 * its deadline, whichever comes first. After the caller left or the deadline passed,
 * {@link EventSink#send} returns {@code false} and the thread is interrupted, so the method
 * should return then. Implementations must be thread-safe.
 */
@ConsumerType
@FunctionalInterface
public interface StreamingOperation {

    /**
     * Writes events to {@code events} until the stream is complete or the sink closes.
     *
     * @throws OperationException before the first event, to respond with its status instead of
     *                            a stream, or after it, to end the stream with an {@code error} event
     */
    void stream(OperationRequest request, EventSink events) throws OperationException;
}
