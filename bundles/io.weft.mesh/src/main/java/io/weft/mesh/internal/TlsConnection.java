package io.weft.mesh.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS state of one tunnel session for {@link TunnelTlsFilter}. Reads run on the session's
 * I/O thread only, so the incomplete record needs no lock. Writes come from any thread and
 * hold {@link #writeLock} from encryption until the records are queued, so records reach the
 * socket in the order of their sequence numbers. Decrypted data and the SECURED event are
 * passed on without that lock, because the handler may write to this and other sessions.
 * Delegated tasks of the engine, such as the certificate checks, run on the thread that needs
 * them.
 */
final class TlsConnection {

    private static final Logger LOG = LoggerFactory.getLogger(TlsConnection.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Room for the last record of a frame, which the engine wraps only into a whole packet buffer. */
    private static final ScratchBuffer SCRATCH = new ScratchBuffer(false);
    /**
     * Records of one frame that go straight to the socket, per writing thread. Direct, so the
     * socket takes them without the JDK's copy into a temporary direct buffer.
     */
    private static final ScratchBuffer DIRECT_RECORDS = new ScratchBuffer(true);
    /** Capacity of {@link #DIRECT_RECORDS}: a frame of 64 KiB with its records and one spare packet. */
    private static final int DIRECT_RECORDS_BYTES = 128 * 1024;
    /**
     * Largest plaintext of one TLS 1.2 or 1.3 record, 2^14 bytes. The engine's application
     * buffer size is larger (16,704 bytes on Java 17), so it would undercount the records.
     */
    private static final int MAX_RECORD_PLAINTEXT = 16_384;

    private final IoSession session;
    /** The session's socket, which the writing thread uses while MINA has no write of this session queued. */
    private final ByteChannel channel;
    private final SSLEngine engine;
    private final NextFilter next;
    private final BufferPool plaintextBuffers;
    private final BufferPool ciphertextBuffers;
    private final int applicationBufferSize;
    private final int packetBufferSize;
    private final int maxRecordOverhead;
    private final Object writeLock = new Object();

    /** Incomplete record left by the last read, or null; touched by the I/O thread only. */
    private ByteBuffer incomplete;
    /** Writes that wait for the handshake to complete; guarded by {@link #writeLock}. */
    private final ArrayDeque<WriteRequest> waitingWrites = new ArrayDeque<>(0);
    /** True while application data can be encrypted; guarded by {@link #writeLock}. */
    private boolean secured;
    /** True once close_notify was queued or the session closed; guarded by {@link #writeLock}. */
    private boolean outboundClosed;
    /** True once the first handshake completed; a renegotiation does not report SECURED again. */
    private volatile boolean firstHandshakeDone;
    /**
     * Record writes handed to MINA and not yet reported sent; guarded by {@link #writeLock}.
     * While there are none, MINA does not touch the socket's output, so the writing thread may.
     */
    private int queuedRecordWrites;
    /** Frames written straight to the socket whose sent event is still due; guarded by {@link #writeLock}. */
    private final ArrayDeque<WriteRequest> sentDirectly = new ArrayDeque<>(0);
    /** True while a thread reports the frames of {@link #sentDirectly}; guarded by {@link #writeLock}. */
    private boolean reportingSent;

    TlsConnection(IoSession session, SSLEngine engine, NextFilter next, BufferPool plaintextBuffers,
            BufferPool ciphertextBuffers) {
        this.session = session;
        this.channel = session instanceof NioSession nio ? nio.getChannel() : null;
        this.engine = engine;
        this.next = next;
        this.plaintextBuffers = plaintextBuffers;
        this.ciphertextBuffers = ciphertextBuffers;
        this.applicationBufferSize = engine.getSession().getApplicationBufferSize();
        this.packetBufferSize = engine.getSession().getPacketBufferSize();
        this.maxRecordOverhead = packetBufferSize - MAX_RECORD_PLAINTEXT;
    }

    /** Starts the handshake of the dialling side by sending its ClientHello. */
    void beginHandshake() throws SSLException {
        engine.beginHandshake();
        runHandshake(engine.getHandshakeStatus());
    }

    /** Decrypts the ciphertext of one read and passes the plaintext on. */
    void receive(IoBuffer input) throws SSLException {
        ByteBuffer source = withIncomplete(input.buf());
        ByteBuffer plaintext = plaintextBuffers.take();
        try {
            unwrapAll(source, plaintext);
        } catch (SSLException e) {
            sendAlert();
            throw e;
        } finally {
            plaintextBuffers.release(plaintext);
            keepIncomplete(source);
        }
    }

    /**
     * Encrypts one written frame, or keeps it until the handshake completes. While MINA has no
     * write of this session queued, the records go to the socket on the calling thread, and
     * MINA gets only what the socket did not take. That saves waking the I/O thread for every
     * frame that another thread writes.
     */
    void write(WriteRequest request) throws SSLException {
        synchronized (writeLock) {
            if (outboundClosed) {
                request.getFuture().setException(new WriteToClosedSessionException(request));
                return;
            }
            if (!secured || !waitingWrites.isEmpty()) {
                waitingWrites.addLast(keepable(request));
                return;
            }
            if (!encrypt(request)) {
                waitingWrites.addFirst(keepable(request));
            }
        }
        reportSentDirectly();
    }

    /** Returns the plaintext buffers of a written frame: an {@link IoBuffer}, or an {@link OutboundData}'s header and payload. */
    private static ByteBuffer[] sources(Object message) {
        if (message instanceof OutboundData data) {
            return data.buffers();
        }
        return new ByteBuffer[] {((IoBuffer) message).buf()};
    }

    /** Returns {@code request} after copying a borrowed payload, because it waits beyond the write call. */
    private static WriteRequest keepable(WriteRequest request) {
        if (request.getMessage() instanceof OutboundData data) {
            data.copyRemaining();
        }
        return request;
    }

    /** Reports that MINA wrote one {@link TlsRecordWrite} of this session to the socket. */
    void recordWriteSent() {
        synchronized (writeLock) {
            queuedRecordWrites--;
        }
    }

    /** Queues close_notify after the writes already queued; later writes fail. */
    void closeOutbound() {
        synchronized (writeLock) {
            if (outboundClosed) {
                return;
            }
            outboundClosed = true;
            failWaitingWrites();
            engine.closeOutbound();
            try {
                wrapHandshake();
            } catch (SSLException e) {
                LOG.debug("Mesh session {}: could not send close_notify: {}", session.getId(), e.toString());
            }
        }
    }

    /** Releases the buffers of a closed session. */
    void dispose() {
        synchronized (writeLock) {
            outboundClosed = true;
            failWaitingWrites();
        }
        if (incomplete != null) {
            ciphertextBuffers.release(incomplete);
            incomplete = null;
        }
        if (!engine.isInboundDone()) {
            try {
                engine.closeInbound();
            } catch (SSLException e) {
                // Expected: the connection closed without close_notify, for example after closeNow.
                LOG.trace("Mesh session {}: closed without close_notify", session.getId());
            }
        }
    }

    private void unwrapAll(ByteBuffer source, ByteBuffer plaintext) throws SSLException {
        while (source.hasRemaining()) {
            if (engine.isInboundDone()) {
                LOG.debug("Mesh session {}: discarding {} bytes after close_notify", session.getId(),
                        source.remaining());
                source.position(source.limit());
                break;
            }
            SSLEngineResult result = engine.unwrap(source, plaintext);
            SSLEngineResult.Status status = result.getStatus();
            if (status == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (plaintext.position() == 0) {
                    throw new SSLException("Mesh session " + session.getId() + ": a TLS record does not fit the "
                            + plaintext.capacity() + "-byte buffer for decrypted data");
                }
                deliver(plaintext);
                continue;
            }
            if (status == SSLEngineResult.Status.CLOSED) {
                deliver(plaintext);
                closedByPeer();
                return;
            }
            boolean handshakeProgressed = afterUnwrap(result);
            if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || result.bytesConsumed() == 0 && result.bytesProduced() == 0 && !handshakeProgressed) {
                break;
            }
            if (plaintext.remaining() < applicationBufferSize) {
                deliver(plaintext);
            }
        }
        deliver(plaintext);
    }

    /** Continues a handshake after an unwrap; returns true when it moved on. */
    private boolean afterUnwrap(SSLEngineResult result) throws SSLException {
        HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.FINISHED) {
            handshakeFinished();
            status = engine.getHandshakeStatus();
        }
        if (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
            runHandshake(status);
            return true;
        }
        return result.getHandshakeStatus() == HandshakeStatus.FINISHED;
    }

    /** Runs delegated tasks and sends handshake messages until the engine needs input. */
    private void runHandshake(HandshakeStatus initial) throws SSLException {
        HandshakeStatus status = initial;
        while (true) {
            if (status == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
                status = engine.getHandshakeStatus();
            } else if (status == HandshakeStatus.NEED_WRAP) {
                HandshakeStatus afterWrap;
                synchronized (writeLock) {
                    afterWrap = wrapHandshake();
                }
                if (afterWrap == HandshakeStatus.FINISHED) {
                    handshakeFinished();
                    status = engine.getHandshakeStatus();
                } else {
                    status = afterWrap;
                }
            } else {
                return;
            }
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Wraps handshake messages or alerts into one buffer and queues it; returns the handshake
     * status after the last wrap. The caller holds {@link #writeLock}.
     */
    private HandshakeStatus wrapHandshake() throws SSLException {
        ByteBuffer records = ByteBuffer.allocate(packetBufferSize);
        SSLEngineResult result;
        do {
            result = engine.wrap(EMPTY, records);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                records = grow(records);
            }
        } while (result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                && result.getStatus() != SSLEngineResult.Status.CLOSED);
        queue(records, null);
        return result.getHandshakeStatus();
    }

    /** Sends the waiting writes and, after the first handshake only, the SECURED event. */
    private void handshakeFinished() throws SSLException {
        boolean first = !firstHandshakeDone;
        if (first) {
            firstHandshakeDone = true;
            session.setAttribute(SslFilter.SSL_SECURED, engine.getSession());
        }
        synchronized (writeLock) {
            secured = true;
            flushWaitingWrites();
        }
        reportSentDirectly();
        if (first) {
            next.event(session, SslEvent.SECURED);
        }
    }

    /** Encrypts the waiting writes in order; the caller holds {@link #writeLock}. */
    private void flushWaitingWrites() throws SSLException {
        WriteRequest waiting;
        while (!outboundClosed && (waiting = waitingWrites.pollFirst()) != null) {
            if (!encrypt(waiting)) {
                waitingWrites.addFirst(waiting);
                return;
            }
        }
    }

    /**
     * Encrypts one frame into records in a single buffer and queues them. Returns false when a
     * renegotiation stopped the encryption, and the rest of the frame then stays in the request.
     * Call with {@link #writeLock} held.
     */
    private boolean encrypt(WriteRequest request) throws SSLException {
        ByteBuffer[] sources = sources(request.getMessage());
        long remaining = Buffers.remaining(sources);
        int recordCount = (int) Math.max(1, (remaining + MAX_RECORD_PLAINTEXT - 1) / MAX_RECORD_PLAINTEXT);
        long size = remaining + (long) recordCount * maxRecordOverhead;
        ByteBuffer records = mayWriteDirectly() && size + packetBufferSize <= DIRECT_RECORDS_BYTES
                ? DIRECT_RECORDS.get(DIRECT_RECORDS_BYTES)
                : ByteBuffer.allocate((int) size);
        while (remaining > 0) {
            SSLEngineResult result;
            if (records.remaining() >= packetBufferSize) {
                result = engine.wrap(sources, records);
            } else {
                ByteBuffer scratch = SCRATCH.get(packetBufferSize);
                result = engine.wrap(sources, scratch);
                records = Buffers.putGrowing(records, scratch.flip());
            }
            remaining -= result.bytesConsumed();
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> records = grow(records);
                case CLOSED -> throw new SSLException("Cannot write to mesh session " + session.getId()
                        + ": its TLS connection is closed");
                default -> {
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                        // A TLS 1.2 renegotiation waits for the peer; the rest waits for the handshake.
                        secured = false;
                        queue(records, null);
                        return false;
                    }
                }
            }
        }
        queue(records, request);
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            wrapHandshake();
        }
        return true;
    }

    /**
     * Sends records, and when they finish a frame, its request. They go to the socket at once
     * when MINA has nothing of this session queued, and what the socket does not take goes to
     * MINA. Call with {@link #writeLock} held.
     */
    private void queue(ByteBuffer records, WriteRequest plaintext) {
        if (records.position() == 0 && plaintext == null) {
            return;
        }
        records.flip();
        if (mayWriteDirectly() && writeDirectly(records)) {
            if (plaintext != null) {
                sentDirectly.addLast(plaintext);
            }
            return;
        }
        ByteBuffer rest = records;
        if (records.isDirect()) {
            // The thread reuses its direct buffer for the next frame, so MINA gets a copy.
            rest = ByteBuffer.allocate(records.remaining()).put(records).flip();
        }
        queuedRecordWrites++;
        next.filterWrite(session, new TlsRecordWrite(IoBuffer.wrap(rest), plaintext));
    }

    /** Returns true when the calling thread may write to the socket; call with {@link #writeLock} held. */
    private boolean mayWriteDirectly() {
        return channel != null && queuedRecordWrites == 0 && !session.isClosing();
    }

    /** Writes what the socket takes without blocking; returns true when all of {@code records} went. */
    private boolean writeDirectly(ByteBuffer records) {
        int before = records.remaining();
        try {
            channel.write(records);
        } catch (IOException e) {
            // MINA meets the same error when it writes the rest, and closes the session as for any write.
            LOG.trace("Mesh session {}: a direct write failed: {}", session.getId(), e.toString());
            return false;
        }
        int written = before - records.remaining();
        if (written > 0 && session instanceof AbstractIoSession counted) {
            counted.increaseWrittenBytes(written, System.currentTimeMillis());
        }
        return !records.hasRemaining();
    }

    /**
     * Completes the frames written straight to the socket and reports them sent, in order and
     * outside {@link #writeLock}. A write made while reporting, such as a frame that the sent
     * event releases, adds to the queue that the reporting thread is already draining, so the
     * events do not nest.
     */
    private void reportSentDirectly() {
        synchronized (writeLock) {
            if (reportingSent || sentDirectly.isEmpty()) {
                return;
            }
            reportingSent = true;
        }
        try {
            while (true) {
                WriteRequest sent;
                synchronized (writeLock) {
                    sent = sentDirectly.pollFirst();
                    if (sent == null) {
                        reportingSent = false;
                        return;
                    }
                }
                sent.getFuture().setWritten();
                next.messageSent(session, sent);
            }
        } catch (RuntimeException e) {
            synchronized (writeLock) {
                reportingSent = false;
            }
            throw e;
        }
    }

    private void deliver(ByteBuffer plaintext) {
        if (plaintext.position() == 0) {
            return;
        }
        plaintext.flip();
        next.messageReceived(session, IoBuffer.wrap(plaintext));
        plaintext.clear();
    }

    /** Replies to the peer's close_notify with ours and closes the session once it is written. */
    private void closedByPeer() {
        LOG.debug("Mesh session {}: the peer sent close_notify", session.getId());
        closeOutbound();
        session.closeOnFlush();
    }

    /** Sends the alert that the engine produced for a fatal error, before the session closes. */
    private void sendAlert() {
        synchronized (writeLock) {
            outboundClosed = true;
            failWaitingWrites();
            try {
                wrapHandshake();
            } catch (SSLException | RuntimeException e) {
                LOG.trace("Mesh session {}: no alert sent: {}", session.getId(), e.toString());
            }
        }
    }

    private void failWaitingWrites() {
        WriteRequest waiting;
        while ((waiting = waitingWrites.pollFirst()) != null) {
            waiting.getFuture().setException(new WriteToClosedSessionException(waiting));
        }
    }

    /** Returns the ciphertext to unwrap: the input itself, or the incomplete record with the input appended. */
    private ByteBuffer withIncomplete(ByteBuffer input) {
        if (incomplete == null) {
            return input;
        }
        if (incomplete.remaining() < input.remaining()) {
            ByteBuffer larger = ByteBuffer.allocate(incomplete.position() + input.remaining());
            incomplete.flip();
            larger.put(incomplete);
            ciphertextBuffers.release(incomplete);
            incomplete = larger;
        }
        incomplete.put(input);
        incomplete.flip();
        return incomplete;
    }

    /** Keeps what remains of {@code source}, an incomplete record, for the next read. */
    private void keepIncomplete(ByteBuffer source) {
        if (source == incomplete) {
            if (!source.hasRemaining()) {
                ciphertextBuffers.release(incomplete);
                incomplete = null;
            } else {
                incomplete.compact();
            }
            return;
        }
        if (source.hasRemaining()) {
            incomplete = ciphertextBuffers.take();
            if (incomplete.capacity() < source.remaining()) {
                incomplete = ByteBuffer.allocate(source.remaining());
            }
            incomplete.put(source);
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer) {
        ByteBuffer larger = ByteBuffer.allocate(buffer.capacity() * 2);
        buffer.flip();
        return larger.put(buffer);
    }
}
