package io.weft.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records a stream's events; consumes received bytes at once unless {@link #consumeOnRead} is false. */
class RecordingHandler implements MeshStreamHandler {

    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    boolean consumeOnRead = true;
    int unconsumed;
    int writableEvents;
    boolean fin;
    boolean closed;
    ErrorCode resetCode;
    String resetReason;
    /** Event names in order of arrival. */
    final List<String> events = new ArrayList<>();

    RecordingHandler() {
    }

    RecordingHandler(boolean consumeOnRead) {
        this.consumeOnRead = consumeOnRead;
    }

    @Override
    public void onData(MeshStream stream, ByteBuffer data) {
        int length = data.remaining();
        byte[] bytes = new byte[length];
        data.get(bytes);
        received.writeBytes(bytes);
        events.add("data");
        if (consumeOnRead) {
            stream.consumed(length);
        } else {
            unconsumed += length;
        }
    }

    /** Consumes {@code bytes} of the bytes kept unconsumed. */
    void consume(MeshStream stream, int bytes) {
        unconsumed -= bytes;
        stream.consumed(bytes);
    }

    @Override
    public void onWritable(MeshStream stream) {
        writableEvents++;
        events.add("writable");
    }

    @Override
    public void onFin(MeshStream stream) {
        fin = true;
        events.add("fin");
    }

    @Override
    public void onReset(MeshStream stream, ErrorCode code, String reason) {
        resetCode = code;
        resetReason = reason;
        events.add("reset");
    }

    @Override
    public void onClosed(MeshStream stream) {
        closed = true;
        events.add("closed");
    }

    /** A listener that accepts every stream with a new handler and keeps both. */
    static class Acceptor implements MeshListener {
        final List<MeshStream> streams = new ArrayList<>();
        final List<RecordingHandler> handlers = new ArrayList<>();
        boolean consumeOnRead = true;
        boolean tunnelClosed;

        @Override
        public MeshStreamHandler streamOpened(MeshStream stream) {
            RecordingHandler handler = new RecordingHandler(consumeOnRead);
            streams.add(stream);
            handlers.add(handler);
            return handler;
        }

        @Override
        public void tunnelClosed(io.weft.mesh.MeshTunnel tunnel) {
            tunnelClosed = true;
        }
    }
}
