package io.weft.mesh;

import io.weft.mesh.internal.Buffers;
import io.weft.mesh.internal.InnerTls;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream whose payload is protected end to end by an inner TLS 1.3 session between the two
 * node identities, carried inside an outer stream that a gateway relays. The gateway receives
 * TLS records only: it can neither read nor alter the payload, and a changed byte fails the
 * record's authentication, which resets the stream at both ends.
 *
 * <p>Both ends present their node certificate and verify the other's chain to the Weft root CA
 * and its revocation, as the {@link SSLContext} decides (build it with
 * {@code io.weft.pki.TlsContexts.mutualTlsContext}), and each checks that the peer certificate
 * names the node that the stream was opened for or claims to come from.
 *
 * <p>The opener calls {@link #open}; the destination calls {@link #accept} in
 * {@link MeshListener#streamOpened} and returns the result as the outer stream's handler. The
 * application then uses this object as its {@link MeshStream} and receives its events with
 * this object as the stream. Bytes written before the handshake completes are buffered and
 * sent once it has. A FIN is sent as TLS close_notify followed by the outer FIN, so a FIN
 * without close_notify counts as truncation and resets the stream.
 *
 * <p>The {@link MeshStreamHandler} methods of this class belong to the outer stream: only the
 * outer stream calls them.
 *
 * <p>An {@link EndToEndSession} runs one of these as its carrier and multiplexes many streams
 * inside it, which costs far less per stream than one inner session each.
 */
public final class EndToEndStream implements MeshStream, MeshStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndStream.class);

    /** Plaintext that {@link #write} buffers before it returns false, while the handshake runs or the outer stream is full. */
    static final int WRITE_BUFFER_BYTES = 64 * 1024;

    private final InnerTls tls;
    private final MeshStreamHandler handler;
    private final String peerName;
    private final Map<String, String> metadata;
    private final Object lock = new Object();
    /** TLS records and the outer FIN, in order, for the outer stream. One thread at a time writes them. */
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainRequests = new AtomicInteger();
    /** Plaintext written before the handshake completed; guarded by {@link #lock}. */
    private final Queue<ByteBuffer> pendingPlaintext = new ArrayDeque<>();
    /** Ciphertext and plaintext sizes of each record delivered and not yet consumed; guarded by {@link #lock}. */
    private final ArrayDeque<long[]> deliveredRecords = new ArrayDeque<>();
    private volatile MeshStream outer;
    private volatile Runnable establishedAction = () -> { };
    private long pendingPlaintextBytes;
    private long consumedCredit;
    private long unconsumedPlaintext;
    private boolean shutdownRequested;
    private boolean outputShut;
    private volatile boolean established;
    private volatile MeshPeer peer;
    private volatile boolean finReceived;
    private volatile boolean failed;
    /** The failure that {@link #reportFailure} has yet to report; guarded by {@link #lock}. */
    private String failure;
    private volatile boolean writeBlocked;
    private volatile long bytesSent;
    private volatile long bytesReceived;

    private EndToEndStream(InnerTls tls, String peerName, Map<String, String> metadata, MeshStreamHandler handler) {
        this.tls = tls;
        this.peerName = peerName;
        this.metadata = metadata;
        this.handler = handler;
    }

    /**
     * Opens a stream to {@code target} on {@code tunnel} and starts the inner handshake as the
     * TLS client, expecting the node {@code peerName} at the far end.
     *
     * @param context  the node's mutual TLS context
     * @param peerName full name {@code <node>.<domain>} of the destination node
     * @throws IllegalStateException    when the tunnel cannot open a stream
     * @throws IllegalArgumentException when the target or metadata exceed the limits of an OPEN frame
     */
    public static EndToEndStream open(SSLContext context, MeshTunnel tunnel, String target,
            Map<String, String> metadata, String peerName, MeshStreamHandler handler) {
        EndToEndStream stream = new EndToEndStream(InnerTls.client(context, peerName), requireName(peerName),
                Map.copyOf(metadata), Objects.requireNonNull(handler, "handler"));
        stream.outer = tunnel.openStream(target, metadata, stream);
        stream.startHandshake();
        return stream;
    }

    /**
     * Takes a stream that a peer opened as the TLS server of its inner session, expecting the
     * node {@code peerName} as the client. Return the result from {@link MeshListener#streamOpened}.
     *
     * @param peerName full name {@code <node>.<domain>} of the node that opened the stream
     */
    public static EndToEndStream accept(SSLContext context, MeshStream outer, String peerName,
            MeshStreamHandler handler) {
        EndToEndStream stream = new EndToEndStream(InnerTls.server(context), requireName(peerName),
                outer.metadata(), Objects.requireNonNull(handler, "handler"));
        stream.outer = outer;
        return stream;
    }

    /**
     * Sets the action that runs once the handshake has completed and the peer's name was
     * checked, on the outer stream's event thread and before any data is delivered, such as
     * connecting to a service only for a proven source. Set it before the first event arrives,
     * right after {@link #accept} or {@link #open}.
     */
    public void whenEstablished(Runnable action) {
        this.establishedAction = Objects.requireNonNull(action, "action");
    }

    /** Returns the full name of the node at the other end of the inner session. */
    public String peerName() {
        return peerName;
    }

    /**
     * Returns the peer's leaf certificate once the handshake has completed, so the caller can
     * compare its serial with a revocation list that arrives later.
     */
    public Optional<X509Certificate> peerCertificate() {
        return Optional.ofNullable(peer).map(MeshPeer::certificate);
    }

    /** Returns the peer with the names of its verified certificate, once the handshake has completed. */
    Optional<MeshPeer> peer() {
        return Optional.ofNullable(peer);
    }

    /** Returns true once the inner handshake has completed and the peer's name was checked. */
    public boolean isEstablished() {
        return established;
    }

    @Override
    public int id() {
        return outer.id();
    }

    @Override
    public String target() {
        return outer.target();
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Returns the tunnel of the outer stream, which leads to the relaying gateway rather than to the peer. */
    @Override
    public MeshTunnel tunnel() {
        return outer.tunnel();
    }

    @Override
    public boolean isLocal() {
        return outer.isLocal();
    }

    @Override
    public boolean write(ByteBuffer data) {
        return write(new ByteBuffer[] {data});
    }

    /**
     * Writes the remaining bytes of {@code parts} in order, as one write, for a caller whose
     * bytes are in pieces, such as a frame's header and payload.
     */
    boolean write(ByteBuffer[] parts) {
        int length = Buffers.remaining(parts);
        synchronized (lock) {
            if (shutdownRequested) {
                throw new IllegalStateException("Stream " + outer.id() + " (" + outer.target()
                        + ") already finished its output");
            }
            if (failed) {
                for (ByteBuffer part : parts) {
                    part.position(part.limit());
                }
                return false;
            }
            if (!established) {
                pendingPlaintext.add(copyOf(parts, length));
                pendingPlaintextBytes += length;
            } else if (!wrapAll(parts)) {
                return false;
            }
            bytesSent += length;
        }
        reportFailure();
        drain();
        return checkWritable();
    }

    @Override
    public boolean isWritable() {
        synchronized (lock) {
            return !failed && pendingPlaintextBytes < WRITE_BUFFER_BYTES && outer.isWritable();
        }
    }

    @Override
    public void shutdownOutput() {
        synchronized (lock) {
            if (shutdownRequested) {
                return;
            }
            shutdownRequested = true;
            if (established) {
                closeOutbound();
            }
        }
        reportFailure();
        drain();
    }

    @Override
    public void consumed(int bytes) {
        long release = 0;
        synchronized (lock) {
            if (bytes < 0 || bytes > unconsumedPlaintext) {
                throw new IllegalArgumentException("Stream " + outer.id() + " (" + outer.target() + "): cannot report "
                        + bytes + " bytes consumed: " + unconsumedPlaintext + " delivered bytes are not yet consumed");
            }
            unconsumedPlaintext -= bytes;
            consumedCredit += bytes;
            while (!deliveredRecords.isEmpty() && deliveredRecords.peek()[1] <= consumedCredit) {
                long[] record = deliveredRecords.poll();
                consumedCredit -= record[1];
                release += record[0];
            }
        }
        if (release > 0) {
            outer.consumed((int) release);
        }
    }

    @Override
    public void reset(ErrorCode code, String reason) {
        synchronized (lock) {
            failed = true;
            outbox.clear();
        }
        outer.reset(code, reason);
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Receives TLS records from the outer stream, and delivers the plaintext they carry. */
    @Override
    public void onData(MeshStream from, ByteBuffer data) {
        if (failed) {
            from.consumed(data.remaining());
            return;
        }
        InnerTls.Unwrapped result;
        long release;
        boolean nowEstablished;
        synchronized (lock) {
            try {
                result = tls.unwrap(data, this::queueRecord);
                nowEstablished = !established && tls.isHandshakeComplete();
                if (nowEstablished) {
                    establish();
                }
            } catch (SSLException e) {
                markFailed("the inner TLS session with '" + peerName + "' failed: " + e.getMessage());
                result = null;
                nowEstablished = false;
            }
            release = result == null ? data.remaining() : result.handshakeBytes();
            for (InnerTls.Record record : result == null ? List.<InnerTls.Record>of() : result.records()) {
                if (record.plaintext().hasRemaining()) {
                    deliveredRecords.add(new long[] {record.ciphertextBytes(), record.plaintext().remaining()});
                    unconsumedPlaintext += record.plaintext().remaining();
                } else {
                    release += record.ciphertextBytes();
                }
            }
        }
        if (release > 0) {
            from.consumed((int) release);
        }
        if (reportFailure()) {
            return;
        }
        drain();
        if (nowEstablished) {
            LOG.debug("Mesh end-to-end: stream {} ({}) established with '{}'", outer.id(), outer.target(), peerName);
            establishedAction.run();
        }
        deliver(result);
        if (nowEstablished) {
            checkWritable();
        }
    }

    @Override
    public void onWritable(MeshStream from) {
        checkWritable();
    }

    @Override
    public void onFin(MeshStream from) {
        if (!finReceived && !failed) {
            synchronized (lock) {
                markFailed("the stream ended without the TLS close_notify of '" + peerName
                        + "', so its data may be truncated");
            }
            reportFailure();
        }
    }

    @Override
    public void onReset(MeshStream from, ErrorCode code, String reason) {
        failed = true;
        handler.onReset(this, code, reason);
    }

    @Override
    public void onClosed(MeshStream from) {
        handler.onClosed(this);
    }

    @Override
    public String toString() {
        return "end-to-end stream " + outer.id() + " (" + outer.target() + ") with '" + peerName + "'";
    }

    private void startHandshake() {
        synchronized (lock) {
            try {
                tls.begin(this::queueRecord);
            } catch (SSLException e) {
                markFailed("starting the inner TLS session with '" + peerName + "' failed: " + e.getMessage());
            }
        }
        reportFailure();
        drain();
    }

    /** Checks the peer, sends the plaintext written during the handshake, and a FIN requested meanwhile. */
    private void establish() throws SSLException {
        peer = tls.checkPeer(peerName);
        established = true;
        while (!pendingPlaintext.isEmpty()) {
            wrapAll(pendingPlaintext.poll());
        }
        pendingPlaintextBytes = 0;
        if (shutdownRequested) {
            closeOutbound();
        }
    }

    private boolean wrapAll(ByteBuffer... parts) {
        try {
            tls.wrap(parts, this::queueRecord);
            return true;
        } catch (SSLException e) {
            markFailed("encrypting for '" + peerName + "' failed: " + e.getMessage());
            return false;
        }
    }

    private void closeOutbound() {
        if (outputShut) {
            return;
        }
        outputShut = true;
        try {
            tls.closeOutbound(this::queueRecord);
        } catch (SSLException e) {
            markFailed("closing the inner TLS session with '" + peerName + "' failed: " + e.getMessage());
            return;
        }
        outbox.add(Fin.FIN);
    }

    private void queueRecord(ByteBuffer record) {
        outbox.add(record);
    }

    /**
     * Writes the queued records to the outer stream, outside the lock: the outer stream may
     * wait for MINA's TLS filter, whose lock the event thread holds while it calls this stream.
     * One thread drains at a time, so records leave in the order they were made.
     */
    private void drain() {
        if (drainRequests.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Object next;
            while ((next = outbox.poll()) != null) {
                if (next instanceof ByteBuffer record) {
                    outer.write(record);
                    // The outer stream copies what it still needs before write returns.
                    InnerTls.recycle(record);
                } else {
                    outer.shutdownOutput();
                }
            }
            missed = drainRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private void deliver(InnerTls.Unwrapped result) {
        // All records at once, so that a frame spread over several records needs no reassembly.
        ByteBuffer plaintext = result.plaintext();
        if (plaintext.hasRemaining()) {
            bytesReceived += plaintext.remaining();
            handler.onData(this, plaintext);
        }
        if (result.closed() && !finReceived) {
            finReceived = true;
            handler.onFin(this);
        }
    }

    private boolean checkWritable() {
        boolean writable = isWritable();
        if (!writable) {
            writeBlocked = true;
        } else if (writeBlocked && established) {
            writeBlocked = false;
            handler.onWritable(this);
        }
        return writable;
    }

    /** Records the first failure under {@link #lock}; {@link #reportFailure} acts on it once the lock is released. */
    private void markFailed(String reason) {
        if (failed) {
            return;
        }
        failed = true;
        failure = reason;
        outbox.clear();
    }

    /**
     * Resets the outer stream and reports the reset to the application, once, outside the lock.
     *
     * @return true when this stream has failed
     */
    private boolean reportFailure() {
        String reason;
        synchronized (lock) {
            reason = failure;
            failure = null;
        }
        if (reason != null) {
            LOG.warn("Mesh end-to-end: stream {} ({}) reset: {}", outer.id(), outer.target(), reason);
            outer.reset(ErrorCode.PROTOCOL_ERROR, reason);
            handler.onReset(this, ErrorCode.PROTOCOL_ERROR, reason);
        }
        return failed;
    }

    private static ByteBuffer copyOf(ByteBuffer[] parts, int length) {
        ByteBuffer copy = ByteBuffer.allocate(length);
        for (ByteBuffer part : parts) {
            copy.put(part);
        }
        return copy.flip();
    }

    private static String requireName(String peerName) {
        Objects.requireNonNull(peerName, "peerName");
        if (peerName.isBlank()) {
            throw new IllegalArgumentException("The peer name of an end-to-end stream is empty; pass the node's full"
                    + " name <node>.<domain>");
        }
        return peerName;
    }

    /** The marker of the outer FIN in the outbox. */
    private enum Fin {
        FIN
    }
}
