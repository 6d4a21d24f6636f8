package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.servlet.http.HttpServletResponse;

import io.weft.app.api.EventSink;

/**
 * The {@link EventSink} of a streaming call. The first event commits the response as
 * {@code 200 text/event-stream}, so an operation that fails before it still responds with a
 * JSON error. Thread-safe: the operation's thread writes events, and the server's thread
 * closes the sink at the deadline, which waits for an event being written.
 */
final class StreamResponse implements EventSink {

    private final HttpServletResponse response;
    private SseEventSink sink;
    private boolean closed;

    StreamResponse(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public boolean send(String event, Object data) {
        SseEventSink current = open();
        return current != null && current.send(event, data);
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed && (sink == null || sink.isOpen());
    }

    /** Sends a heartbeat comment once the stream has started, and does nothing before. */
    synchronized void heartbeat() {
        if (sink != null && !closed) {
            sink.heartbeat();
        }
    }

    synchronized boolean started() {
        return sink != null;
    }

    /** Sends one last event, such as an error, from the server's thread after the operation ended. */
    synchronized void sendFinal(String event, Object data) {
        if (sink != null) {
            sink.send(event, data);
        }
    }

    synchronized void close() {
        closed = true;
        if (sink != null) {
            sink.close();
        }
    }

    private synchronized SseEventSink open() {
        if (closed) {
            return null;
        }
        if (sink == null) {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            try {
                sink = new SseEventSink(response.getOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException("Opening the event stream failed", e);
            }
        }
        return sink;
    }
}
