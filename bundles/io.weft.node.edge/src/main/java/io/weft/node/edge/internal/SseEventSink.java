package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.weft.app.api.EventSink;

/**
 * Writes server-sent events (the {@code text/event-stream} format of the HTML standard) to a
 * response stream. Each event is {@code event: <name>}, one {@code data:} line with compact
 * JSON, and a blank line, flushed at once. JSON written by Jackson has no line break, so one
 * data line carries the whole value. A write that fails, because the caller left, closes the
 * sink. Thread-safe.
 */
final class SseEventSink implements EventSink {

    static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.UTF_8);

    private final OutputStream out;
    private volatile boolean open = true;

    SseEventSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public boolean send(String event, Object data) {
        if (event == null || !EVENT_NAME.matcher(event).matches()) {
            throw new IllegalArgumentException("Invalid event name '" + event + "': use 1 to 64 letters, digits,"
                    + " '-' and '_'");
        }
        return write(frame(event, data));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /**
     * Sends a comment line, which clients ignore, so that proxies and the server's idle
     * timeout see traffic between events that are far apart.
     */
    boolean heartbeat() {
        return write(HEARTBEAT);
    }

    /** Returns one event in the text/event-stream format. */
    static byte[] frame(String event, Object data) {
        String json = new String(Json.write(data), StandardCharsets.UTF_8);
        return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Closes the sink so later events are dropped, after an event being written. The server
     * completes the response itself.
     */
    synchronized void close() {
        open = false;
    }

    private synchronized boolean write(byte[] frame) {
        if (!open) {
            return false;
        }
        try {
            out.write(frame);
            out.flush();
            return true;
        } catch (IOException e) {
            open = false;
            return false;
        }
    }
}
