package io.weft.mesh.internal;

import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshPeer;
import io.weft.mesh.MeshSettings;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * Two multiplexers joined by in-memory transports. Nothing moves until {@link #pump()}, which
 * passes every queued frame through the codec to the other side, so a test runs on one thread,
 * decides when the network delivers and reads the clock it sets.
 */
final class TunnelPair {

    final AtomicLong clock = new AtomicLong();
    final Side dialer;
    final Side acceptor;
    private final MeshSettings settings;

    TunnelPair(MeshSettings settings, MeshListener dialerListener, MeshListener acceptorListener) {
        this.settings = settings;
        this.dialer = new Side(new MeshPeer("node-gw", "gw1.east.acme.example", List.of(), null), true,
                dialerListener);
        this.acceptor = new Side(new MeshPeer("node-edge", "edge1.east.acme.example", List.of(), null), false,
                acceptorListener);
        dialer.other = acceptor;
        acceptor.other = dialer;
        dialer.tunnel.start();
        acceptor.tunnel.start();
    }

    /** Delivers frames in both directions until none is left, except from a paused side. */
    void pump() {
        boolean moved = true;
        while (moved) {
            moved = dialer.deliver() | acceptor.deliver();
        }
    }

    void advance(java.time.Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    /** One end: its multiplexer, and the frames it wrote that the other end has not received. */
    final class Side implements FrameTransport {
        final Multiplexer tunnel;
        final ArrayDeque<IoBuffer> outbox = new ArrayDeque<>();
        /** Frames this side sent, in order, as the other side decoded them. */
        final List<Frame> sent = new ArrayList<>();
        /** While true, this side's frames stay in its outbox, as on a stalled link. */
        boolean paused;
        boolean closeRequested;
        boolean closed;
        Side other;

        Side(MeshPeer peer, boolean dialling, MeshListener listener) {
            tunnel = new Multiplexer(peer, dialling, settings, listener, this, clock::get);
        }

        @Override
        public void write(IoBuffer frame) {
            outbox.add(frame);
        }

        @Override
        public void close(boolean flush) {
            closeRequested = true;
            if (!flush) {
                outbox.clear();
            }
        }

        /** Decodes and passes all frames from this side to the other; returns true when anything moved. */
        boolean deliver() {
            boolean moved = false;
            while (!paused && !closed && !outbox.isEmpty()) {
                IoBuffer frame = outbox.poll();
                int size = frame.remaining();
                Frame decoded = decode(frame.buf());
                sent.add(decoded);
                if (!other.closed) {
                    other.tunnel.receive(decoded);
                }
                tunnel.frameWritten(size);
                moved = true;
            }
            if (closeRequested && !closed && (outbox.isEmpty() || paused)) {
                closed = true;
                other.closed = true;
                tunnel.transportClosed();
                other.tunnel.transportClosed();
                moved = true;
            }
            return moved;
        }

        private Frame decode(ByteBuffer bytes) {
            try {
                return Frames.decode(bytes, settings.maxFramePayloadBytes());
            } catch (FrameDecodingException e) {
                throw new AssertionError("The multiplexer wrote an invalid frame: " + e.getMessage(), e);
            }
        }

        /** Returns the frames of {@code type} that this side sent. */
        <T extends Frame> List<T> sent(Class<T> type) {
            return sent.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
