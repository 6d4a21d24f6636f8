package io.weft.node.mesh.internal;

import io.weft.control.RepeatLimiter;
import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.node.mesh.internal.tcp.TcpConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a mesh stream and a TCP connection like a TCP proxy: bytes flow both ways with
 * backpressure, a FIN on one side becomes a half-close on the other, and a reset or a failed
 * connection on one side resets the other. Backpressure: the TCP socket stops being read while
 * the stream's write buffer is full, and the stream's window is released only for bytes that
 * the socket has sent, so each direction buffers at most one stream window.
 */
final class StreamBridge implements MeshStreamHandler, TcpConnection.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamBridge.class);
    /** Like connection failures of one flow, logged at INFO once a minute. */
    private static final RepeatLimiter REPEATS = new RepeatLimiter(TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    /** Smallest read, so that a full write buffer still lets the read loop reach the pause. */
    private static final int MIN_READ_BYTES = 1024;

    private final String description;
    private final Consumer<StreamBridge> ended;
    private volatile MeshStream stream;
    private volatile TcpConnection connection;
    private volatile boolean streamClosed;
    private volatile boolean connectionClosed;

    /**
     * @param description names the flow in logs, such as {@code service:echo from 'a.x' to 'b.x'}
     * @param ended       called once when both the stream and the connection have ended
     */
    StreamBridge(String description, Consumer<StreamBridge> ended) {
        this.description = description;
        this.ended = ended;
    }

    void attach(MeshStream meshStream) {
        this.stream = meshStream;
    }

    /**
     * Takes the stream from an event that may come before {@link #attach(MeshStream)}: a
     * service that sends first, such as an SSH server's banner, can send data while the opening
     * call has not returned yet.
     */
    private void attachEarly(MeshStream meshStream) {
        if (stream == null) {
            stream = meshStream;
        }
    }

    void attach(TcpConnection tcpConnection) {
        this.connection = tcpConnection;
    }

    MeshStream stream() {
        return stream;
    }

    String description() {
        return description;
    }

    /** Resets the stream with {@code code} and cuts the TCP connection, as a policy change requires. */
    void reset(ErrorCode code, String reason) {
        MeshStream current = stream;
        if (current != null) {
            current.reset(code, reason);
        }
        TcpConnection tcp = connection;
        if (tcp != null) {
            tcp.abort();
        }
        streamClosed = true;
        checkEnded();
    }

    @Override
    public void onData(MeshStream meshStream, ByteBuffer data) {
        attachEarly(meshStream);
        connection.write(data);
    }

    @Override
    public void onWritable(MeshStream meshStream) {
        attachEarly(meshStream);
        TcpConnection tcp = connection;
        if (tcp != null) {
            tcp.resumeReading();
        }
    }

    @Override
    public void onFin(MeshStream meshStream) {
        attachEarly(meshStream);
        connection.shutdownOutput();
    }

    @Override
    public void onReset(MeshStream meshStream, ErrorCode code, String reason) {
        LOG.debug("Mesh bridge {}: the stream was reset with {} ({}), so the TCP connection is reset", description,
                code, reason);
        TcpConnection tcp = connection;
        if (tcp != null) {
            tcp.abort();
        }
    }

    @Override
    public void onClosed(MeshStream meshStream) {
        streamClosed = true;
        checkEnded();
    }

    @Override
    public void received(TcpConnection tcp, ByteBuffer data) {
        if (!stream.write(data)) {
            tcp.pauseReading();
        }
    }

    /**
     * Reads no more than the stream takes without filling its write buffer, so a stream whose
     * peer stops reading keeps a small buffer however many such streams there are.
     */
    @Override
    public int readLimit(TcpConnection tcp) {
        MeshStream current = stream;
        return current == null ? MIN_READ_BYTES : Math.max(MIN_READ_BYTES, current.writableBytes());
    }

    @Override
    public void inputEnded(TcpConnection tcp) {
        stream.shutdownOutput();
    }

    @Override
    public void written(TcpConnection tcp, int bytes) {
        stream.consumed(bytes);
    }

    @Override
    public void closed(TcpConnection tcp, IOException failure) {
        connectionClosed = true;
        if (failure != null && !streamClosed) {
            ErrorCode code = failure instanceof ConnectException ? ErrorCode.CONNECT_FAILED : ErrorCode.CANCEL;
            logFailure(tcp, code, failure);
            MeshStream current = stream;
            if (current != null) {
                current.reset(code, "TCP connection failed: " + failure.getMessage());
            }
            streamClosed = true;
        }
        checkEnded();
    }

    /**
     * Logs a failed TCP connection at INFO, and like failures of the same flow and kind at most
     * once a minute with the count of those logged at DEBUG in between. So many clients that
     * reset their connections at once leave one line, not one each.
     */
    private void logFailure(TcpConnection tcp, ErrorCode code, IOException failure) {
        long repeats = REPEATS.admit(description + " " + code + " " + failure.getClass().getName());
        if (repeats < 0) {
            LOG.debug("Mesh bridge {}: the TCP connection to {} failed, so the stream is reset with {}: {}",
                    description, tcp.remoteAddress(), code, failure.toString());
            return;
        }
        LOG.info("Mesh bridge {}: the TCP connection to {} failed, so the stream is reset with {}: {}{}", description,
                tcp.remoteAddress(), code, failure.toString(),
                repeats == 0 ? "" : " (" + repeats + " more like it in the last minute were logged at DEBUG)");
    }

    /** Reports the end once both sides ended, or once the stream ended before a connection was made. */
    private void checkEnded() {
        if (streamClosed && (connectionClosed || connection == null)) {
            ended.accept(this);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
