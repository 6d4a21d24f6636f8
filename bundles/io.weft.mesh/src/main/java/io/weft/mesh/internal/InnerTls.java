package io.weft.mesh.internal;

import io.weft.mesh.MeshPeer;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One side of a TLS 1.3 session over a byte stream, on an {@link SSLEngine}: it turns plaintext
 * into records and records into plaintext, and runs the handshake's delegated tasks on the
 * calling thread. Not thread-safe: the caller serializes every call.
 */
public final class InnerTls {

    /** The only protocol of the inner session: TLS 1.3 supports half-close, which a FIN needs. */
    private static final String PROTOCOL = "TLSv1.3";
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Largest plaintext of one TLS record, 2^14 bytes. */
    private static final int MAX_RECORD_PLAINTEXT = 16_384;
    /**
     * Destinations of one record each, copied into a buffer of the record's size, so a small
     * message costs a small allocation and an idle stream keeps none.
     */
    private static final ScratchBuffer WRAP_SCRATCH = new ScratchBuffer(false);
    private static final ScratchBuffer UNWRAP_SCRATCH = new ScratchBuffer(false);
    /**
     * Buffers for the records of one wrap of up to four full records, with 512 bytes per record
     * for the engine's worst-case expansion (325 bytes on Java 17), kept while the carrier writes
     * them. Enough for the threads of a busy node.
     */
    private static final BufferPool RECORD_BUFFERS = new BufferPool(4 * (MAX_RECORD_PLAINTEXT + 512), 8);

    /**
     * One application data record: its size on the wire and the plaintext it carried. The
     * plaintext is valid until the thread's next {@link #unwrap}.
     */
    public record Record(int ciphertextBytes, ByteBuffer plaintext) {
    }

    /**
     * The result of one {@link #unwrap} call.
     *
     * @param records        application data records, in order
     * @param plaintext      the plaintext of all records, one after the other, valid as theirs is
     * @param handshakeBytes ciphertext bytes of records without plaintext, such as handshake messages
     * @param closed         true when the peer's close_notify arrived
     */
    public record Unwrapped(List<Record> records, ByteBuffer plaintext, int handshakeBytes, boolean closed) {
    }

    private final SSLEngine engine;
    private ByteBuffer inbound = ByteBuffer.allocate(0);
    private boolean handshakeComplete;
    private boolean closed;

    private InnerTls(SSLEngine engine) {
        this.engine = engine;
    }

    /** Returns the client side, which checks that the server's certificate names {@code peerName}. */
    public static InnerTls client(SSLContext context, String peerName) {
        SSLEngine engine = context.createSSLEngine(peerName, -1);
        engine.setUseClientMode(true);
        SSLParameters parameters = parameters(context);
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return new InnerTls(engine);
    }

    /** Returns the server side, which requires a client certificate. */
    public static InnerTls server(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = parameters(context);
        parameters.setNeedClientAuth(true);
        engine.setSSLParameters(parameters);
        return new InnerTls(engine);
    }

    /** Starts the handshake and passes the first records, the client's hello, to {@code output}. */
    public void begin(Consumer<ByteBuffer> output) throws SSLException {
        engine.beginHandshake();
        continueHandshake(output);
    }

    public boolean isHandshakeComplete() {
        return handshakeComplete;
    }

    /**
     * Checks that the verified peer certificate names the node {@code expectedName}.
     *
     * @return the peer with the names of its certificate
     * @throws SSLException when the peer presented no certificate or one for another node
     */
    public MeshPeer checkPeer(String expectedName) throws SSLException {
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            List<X509Certificate> certificates = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
            return PeerIdentities.of(certificates, expectedName, null);
        } catch (SSLPeerUnverifiedException | CertificateException | ClassCastException e) {
            throw new SSLException("the peer of the inner TLS session is not node '" + expectedName + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * Encrypts all of {@code plaintext} and passes the records to {@code output} in one buffer,
     * so a relayed frame of 64 KiB reaches the carrier as one write instead of one per record.
     * The buffer may come from a pool: pass it to {@link #recycle} once its bytes are written.
     */
    public void wrap(ByteBuffer plaintext, Consumer<ByteBuffer> output) throws SSLException {
        wrap(new ByteBuffer[] {plaintext}, output);
    }

    /** Encrypts the remaining bytes of {@code parts} in order, as {@link #wrap(ByteBuffer, Consumer)} does. */
    public void wrap(ByteBuffer[] parts, Consumer<ByteBuffer> output) throws SSLException {
        long remaining = Buffers.remaining(parts);
        if (remaining == 0) {
            return;
        }
        int packetBytes = engine.getSession().getPacketBufferSize();
        long recordCount = (remaining + MAX_RECORD_PLAINTEXT - 1) / MAX_RECORD_PLAINTEXT;
        long size = remaining + recordCount * (packetBytes - MAX_RECORD_PLAINTEXT);
        ByteBuffer records = size <= RECORD_BUFFERS.capacity() ? RECORD_BUFFERS.take() : ByteBuffer.allocate((int) size);
        while (remaining > 0) {
            // The engine needs room for a whole packet; the last record goes through the scratch buffer.
            ByteBuffer target = records.remaining() >= packetBytes ? records : WRAP_SCRATCH.get(packetBytes);
            SSLEngineResult result = engine.wrap(parts, target);
            noteFinished(result.getHandshakeStatus());
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the inner TLS session is closed for writing");
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("a TLS record did not fit the engine's packet buffer of " + packetBytes
                        + " bytes");
            }
            remaining -= result.bytesConsumed();
            if (target != records) {
                records = Buffers.putGrowing(records, target.flip());
            }
        }
        output.accept(records.flip());
    }

    /** Returns a buffer from {@link #wrap} to the pool once its records are written; others are dropped. */
    public static void recycle(ByteBuffer records) {
        RECORD_BUFFERS.release(records);
    }

    /** Ends this side's direction: passes the close_notify record to {@code output}. */
    public void closeOutbound(Consumer<ByteBuffer> output) throws SSLException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            SSLEngineResult result = wrapOnce(EMPTY, output);
            if (result.bytesProduced() == 0) {
                break;
            }
        }
    }

    /**
     * Decrypts the records of {@code ciphertext}, keeping an incomplete record for the next call,
     * and passes handshake replies to {@code output}.
     *
     * @throws SSLException when a record fails authentication or the handshake fails
     */
    public Unwrapped unwrap(ByteBuffer ciphertext, Consumer<ByteBuffer> output) throws SSLException {
        // Whole records are decrypted where they arrived; only an incomplete one is copied.
        ByteBuffer source = ciphertext;
        if (inbound.hasRemaining()) {
            append(ciphertext);
            source = inbound;
        }
        List<Record> records = new ArrayList<>();
        int handshakeBytes = 0;
        // Each record's plaintext is smaller than its ciphertext, so room for all of the source and
        // one more fragment leaves the engine room for a whole fragment before every record.
        ByteBuffer decrypted = UNWRAP_SCRATCH.get(source.remaining() + engine.getSession().getApplicationBufferSize());
        while (source.hasRemaining() && !closed) {
            int start = decrypted.position();
            SSLEngineResult result = engine.unwrap(source, decrypted);
            ByteBuffer plaintext = decrypted.duplicate().position(start).limit(decrypted.position()).slice()
                    .position(decrypted.position() - start);
            noteFinished(result.getHandshakeStatus());
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                break;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                closed = true;
            }
            if (plaintext.position() > 0) {
                records.add(new Record(result.bytesConsumed(), plaintext.flip()));
            } else {
                handshakeBytes += result.bytesConsumed();
            }
            continueHandshake(output);
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        if (source == inbound) {
            releaseOrCompactInbound();
        } else if (source.hasRemaining()) {
            append(source);
        }
        return new Unwrapped(records, decrypted.flip(), handshakeBytes, closed);
    }

    /** Returns the negotiated cipher suite, or "SSL_NULL_WITH_NULL_NULL" before the handshake. */
    String cipherSuite() {
        return engine.getSession().getCipherSuite();
    }

    /** Returns the capacity of the buffer of ciphertext that waits for the rest of its record. */
    int inboundCapacity() {
        return inbound.capacity();
    }

    /**
     * Drops the inbound buffer once every record in it is decrypted, because it is at least the
     * engine's packet buffer size (16,709 bytes on Java 17) and an idle stream would otherwise
     * keep it. Else moves the start of the incomplete record to the front.
     */
    private void releaseOrCompactInbound() {
        if (inbound.hasRemaining()) {
            inbound.compact().flip();
        } else if (inbound.capacity() > 0) {
            inbound = ByteBuffer.allocate(0);
        }
    }

    private SSLEngineResult wrapOnce(ByteBuffer plaintext, Consumer<ByteBuffer> output) throws SSLException {
        ByteBuffer encrypted = WRAP_SCRATCH.get(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(plaintext, encrypted);
        ByteBuffer record = ByteBuffer.allocate(encrypted.flip().remaining()).put(encrypted);
        noteFinished(result.getHandshakeStatus());
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a TLS record did not fit the engine's packet buffer of " + encrypted.capacity()
                    + " bytes");
        }
        if (record.position() > 0) {
            output.accept(record.flip());
        }
        return result;
    }

    /** Runs delegated tasks and sends handshake messages until the engine waits for the peer. */
    private void continueHandshake(Consumer<ByteBuffer> output) throws SSLException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult result = wrapOnce(EMPTY, output);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesProduced() == 0) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    private void noteFinished(HandshakeStatus status) {
        if (status == HandshakeStatus.FINISHED) {
            handshakeComplete = true;
        }
    }

    private void append(ByteBuffer ciphertext) {
        if (inbound.capacity() - inbound.limit() < ciphertext.remaining()) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(inbound.remaining() + ciphertext.remaining(),
                    engine.getSession().getPacketBufferSize()));
            larger.put(inbound).flip();
            inbound = larger;
        }
        int position = inbound.position();
        inbound.position(inbound.limit()).limit(inbound.capacity());
        inbound.put(ciphertext);
        inbound.flip().position(position);
    }

    private static SSLParameters parameters(SSLContext context) {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setCipherSuites(TunnelTlsFilter.cipherSuites(context).stream()
                .filter(suite -> suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_"))
                .toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }
}
