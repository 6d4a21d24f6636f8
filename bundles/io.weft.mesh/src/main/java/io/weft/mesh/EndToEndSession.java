package io.weft.mesh;

import io.weft.mesh.internal.FrameDecodingException;
import io.weft.mesh.internal.FrameTransport;
import io.weft.mesh.internal.Multiplexer;
import io.weft.mesh.internal.OutboundData;
import io.weft.mesh.internal.StreamFrameDecoder;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tunnel to a peer node inside one stream that a gateway relays, its carrier, protected by an
 * inner TLS 1.3 session between the two node identities ({@link EndToEndStream}). All streams
 * between one pair of nodes can share it: they are multiplexed with the mesh's frames, flow
 * control windows and limits, as on a tunnel. So a relayed stream costs about what a stream of
 * a direct tunnel costs, and the pair pays for one TLS engine and one handshake. The gateway
 * forwards the carrier's TLS records, so it can neither read nor alter the frames or the payload.
 *
 * <p>The opener calls {@link #open} and opens streams on {@link #tunnel()} at once: frames
 * written before the handshake completes wait in the carrier. The destination calls
 * {@link #accept} when a stream to {@link #TARGET} arrives and returns
 * {@link #carrierHandler()} from {@link MeshListener#streamOpened}. Both ends verify the peer
 * as {@link EndToEndStream} does. Once it is proven, the session reports {@link #tunnel()} to
 * its listener's {@link MeshListener#tunnelOpened}, and the peer's streams to
 * {@link MeshListener#streamOpened}, with {@link MeshTunnel#peer()} naming the proven node.
 *
 * <p>The receiving end reports the carrier's bytes consumed as soon as it has decoded their
 * frames, and each stream's window bounds what waits for a slow reader, so a slow stream
 * stalls only itself. The sending end reports a frame written only while the carrier has room,
 * so the session's write buffer ({@link MeshSettings#tunnelWriteBufferBytes()}) holds back
 * its streams when the carrier is full. The caller runs the timers with {@link #tick()}.
 */
public final class EndToEndSession {

    /** The target of a carrier stream. */
    public static final String TARGET = "weft:end-to-end-session";

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndSession.class);

    private final String peerName;
    private final Multiplexer tunnel;
    private final StreamFrameDecoder decoder;
    private final CarrierEvents events = new CarrierEvents();
    private volatile EndToEndStream carrier;
    /** Set once the carrier's input ended, so closing the session ends the carrier with a FIN rather than a reset. */
    private volatile boolean carrierInputEnded;
    /** Bytes of frames written to the carrier while it was full and not yet reported to the tunnel. Guarded by {@code this}. */
    private long unreportedBytes;
    private final MeshSettings settings;
    private final LongSupplier nanoClock;
    /** When the session was opened or accepted, for the timeout of its inner handshake. */
    private final long startedNanos;

    private EndToEndSession(String peerName, boolean opener, MeshSettings settings, MeshListener listener,
            LongSupplier nanoClock) {
        this.peerName = peerName;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong();
        // Until the inner handshake proves the peer, the tunnel has only its expected name.
        MeshPeer expected = new MeshPeer("unverified", peerName, List.of(), null);
        this.tunnel = new Multiplexer(expected, opener, settings, listener, new CarrierTransport(), nanoClock);
        this.decoder = new StreamFrameDecoder(settings.maxFramePayloadBytes());
    }

    /**
     * Opens a carrier to {@link #TARGET} on {@code via}, a tunnel to a gateway, and starts the
     * inner handshake as the TLS client, expecting the node {@code peerName} at the far end.
     *
     * @param context  the node's mutual TLS context
     * @param metadata the carrier's OPEN metadata, which names the destination for the gateway
     * @param peerName full name {@code <node>.<domain>} of the destination node
     * @param listener receives the session's tunnel once the peer is proven, and the streams that the peer opens
     * @throws IllegalStateException when {@code via} cannot open a stream
     */
    public static EndToEndSession open(SSLContext context, MeshTunnel via, Map<String, String> metadata,
            String peerName, MeshSettings settings, MeshListener listener) {
        return open(context, via, metadata, peerName, settings, listener, System::nanoTime);
    }

    static EndToEndSession open(SSLContext context, MeshTunnel via, Map<String, String> metadata, String peerName,
            MeshSettings settings, MeshListener listener, LongSupplier nanoClock) {
        EndToEndSession session = new EndToEndSession(peerName, true, settings, listener, nanoClock);
        session.carrier = EndToEndStream.open(context, via, TARGET, metadata, peerName, session.events);
        session.carrier.whenEstablished(session::established);
        return session;
    }

    /**
     * Takes a carrier that a peer opened, as the TLS server of the inner session, expecting the
     * node {@code peerName} as the client. Return {@link #carrierHandler()} from
     * {@link MeshListener#streamOpened}.
     *
     * @param peerName full name {@code <node>.<domain>} of the node that opened the carrier
     * @param listener receives the session's tunnel once the peer is proven, and the streams that the peer opens
     */
    public static EndToEndSession accept(SSLContext context, MeshStream carrier, String peerName,
            MeshSettings settings, MeshListener listener) {
        return accept(context, carrier, peerName, settings, listener, System::nanoTime);
    }

    static EndToEndSession accept(SSLContext context, MeshStream carrier, String peerName, MeshSettings settings,
            MeshListener listener, LongSupplier nanoClock) {
        EndToEndSession session = new EndToEndSession(peerName, false, settings, listener, nanoClock);
        session.carrier = EndToEndStream.accept(context, carrier, peerName, session.events);
        session.carrier.whenEstablished(session::established);
        return session;
    }

    /** Returns the handler of the carrier, for {@link MeshListener#streamOpened} to return on the accepting side. */
    public MeshStreamHandler carrierHandler() {
        return carrier;
    }

    /** Returns the tunnel to the peer that the session carries, on which streams open and arrive. */
    public MeshTunnel tunnel() {
        return tunnel;
    }

    /** Returns the tunnel of the carrier, which leads to the relaying gateway. */
    public MeshTunnel via() {
        return carrier.tunnel();
    }

    /** Returns the full name of the node at the other end. */
    public String peerName() {
        return peerName;
    }

    /** Returns the peer's verified leaf certificate once the inner handshake has completed. */
    public Optional<X509Certificate> peerCertificate() {
        return carrier.peerCertificate();
    }

    /** Returns true once the inner handshake has completed and the peer's name was checked. */
    public boolean isEstablished() {
        return carrier.isEstablished();
    }

    /** Returns true while streams may open on the session and the tunnel of its carrier is open. */
    public boolean isOpenForStreams() {
        return tunnel.isOpenForStreams() && carrier.tunnel().isOpen();
    }

    /**
     * Runs the session's keepalive, dead-peer detection and idle stream timeout, and closes a
     * session whose inner handshake did not complete within the settings' handshake timeout.
     */
    public void tick() {
        long elapsedNanos = nanoClock.getAsLong() - startedNanos;
        if (!isEstablished() && tunnel.isOpen() && elapsedNanos >= settings.handshakeTimeout().toNanos()) {
            String reason = "the inner TLS handshake with '" + peerName + "' did not complete within "
                    + settings.handshakeTimeout().toMillis() + " ms";
            LOG.warn("Mesh end-to-end: closing the session through {}: {}", via().peer(), reason);
            tunnel.transportClosed(reason);
            carrier.reset(ErrorCode.CANCEL, reason);
            return;
        }
        tunnel.tick();
    }

    /** Lets the streams of the session finish, opens no more, and closes the session after the last one. */
    public void goAway(String reason) {
        tunnel.goAway(reason);
    }

    /**
     * Closes the session now: resets its streams with {@link ErrorCode#TUNNEL_CLOSED}, sends
     * GOAWAY with {@code code} and {@code reason} and ends the carrier.
     */
    public void close(ErrorCode code, String reason) {
        tunnel.close(code, reason);
    }

    @Override
    public String toString() {
        return "end-to-end session with '" + peerName + "'";
    }

    private void established() {
        carrier.peer().ifPresent(tunnel::peerVerified);
        LOG.debug("Mesh end-to-end: session with {} established through {}", tunnel.peer(), carrier.tunnel().peer());
        tunnel.start();
    }

    private void reportWrittenIfWritable() {
        if (!carrier.isWritable()) {
            return;
        }
        long bytes;
        synchronized (this) {
            bytes = unreportedBytes;
            unreportedBytes = 0;
        }
        if (bytes > 0) {
            tunnel.frameWritten((int) bytes);
        }
    }

    /** Writes the session's frames into the carrier and ends it. */
    private final class CarrierTransport implements FrameTransport {
        @Override
        public void write(IoBuffer frame) {
            int bytes = frame.remaining();
            carrier.write(frame.buf());
            written(bytes);
        }

        /** Encrypts a DATA frame's header and payload where they are, without joining them first. */
        @Override
        public void write(OutboundData frame) {
            carrier.write(frame.buffers());
            written(frame.size());
        }

        /** Returns the loop of the tunnel that carries the carrier stream. */
        @Override
        public Optional<IoLoop> ioLoop() {
            EndToEndStream current = carrier;
            return current == null ? Optional.empty() : current.tunnel().ioLoop();
        }

        private void written(int bytes) {
            synchronized (EndToEndSession.this) {
                unreportedBytes += bytes;
            }
            reportWrittenIfWritable();
        }

        @Override
        public void close(boolean flush) {
            EndToEndStream current = carrier;
            if (current == null) {
                // The carrier ended before open or accept returned it, as when the gateway resets
                // it at once. The session closes with it, and the carrier needs nothing more.
                LOG.debug("Mesh end-to-end: the session with '{}' closed before its carrier was set", peerName);
                return;
            }
            if (flush || carrierInputEnded) {
                current.shutdownOutput();
            } else {
                current.reset(ErrorCode.TUNNEL_CLOSED, "the end-to-end session closed");
            }
        }
    }

    /** Events of the carrier: plaintext in, room to write, and its end. */
    private final class CarrierEvents implements MeshStreamHandler {
        private boolean invalidInput;

        @Override
        public void onData(MeshStream stream, ByteBuffer data) {
            int bytes = data.remaining();
            if (!invalidInput) {
                try {
                    decoder.decode(data, tunnel::receive);
                } catch (FrameDecodingException e) {
                    invalidInput = true;
                    LOG.warn("Mesh end-to-end: closing the session with '{}' after invalid input: {}", peerName,
                            e.getMessage());
                    tunnel.protocolError(e.getMessage());
                }
            }
            // Each stream's window bounds the bytes that wait for its reader, so the carrier need not.
            stream.consumed(bytes);
        }

        @Override
        public void onWritable(MeshStream stream) {
            reportWrittenIfWritable();
        }

        @Override
        public void onFin(MeshStream stream) {
            carrierInputEnded = true;
            tunnel.transportClosed("node '" + peerName + "' ended the end-to-end session");
        }

        @Override
        public void onReset(MeshStream stream, ErrorCode code, String reason) {
            carrierInputEnded = true;
            tunnel.transportClosed("the carrier of the end-to-end session with '" + peerName + "' was reset ("
                    + code + "): " + reason);
        }

        @Override
        public void onClosed(MeshStream stream) {
            carrierInputEnded = true;
            tunnel.transportClosed("the carrier of the end-to-end session with '" + peerName + "' closed");
        }
    }
}
