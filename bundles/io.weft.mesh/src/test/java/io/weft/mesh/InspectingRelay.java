package io.weft.mesh;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway that relays every stream to the node named in the metadata {@code destination},
 * records the bytes it forwards toward each node, and flips the byte at one offset if asked.
 * Writes run on one executor, never on a tunnel's event thread.
 */
final class InspectingRelay implements MeshListener {
    private final ExecutorService executor;
    private final Map<String, ByteArrayOutputStream> forwarded = new ConcurrentHashMap<>();
    private final Map<String, MeshTunnel> tunnels = new ConcurrentHashMap<>();
    private final AtomicLong flipOffset = new AtomicLong(-1);
    private final AtomicInteger relayedStreams = new AtomicInteger();
    private volatile String flipToward;

    InspectingRelay(ExecutorService executor) {
        this.executor = executor;
    }

    /** Flips the byte at {@code offset} of the bytes that the relay forwards toward {@code node}. */
    void flipByteAt(String node, long offset) {
        flipToward = node;
        flipOffset.set(offset);
    }

    /** Returns the number of tunnels reported to the relay, which it can relay into. */
    int knownTunnels() {
        return tunnels.size();
    }

    /** Returns the number of streams that the relay has relayed. */
    int relayedStreams() {
        return relayedStreams.get();
    }

    synchronized byte[] forwardedToward(String node) {
        ByteArrayOutputStream bytes = forwarded.get(node);
        return bytes == null ? new byte[0] : bytes.toByteArray();
    }

    @Override
    public void tunnelOpened(MeshTunnel tunnel) {
        tunnels.put(tunnel.peer().fullName(), tunnel);
    }

    @Override
    public MeshStreamHandler streamOpened(MeshStream inbound) {
        String destination = inbound.metadata().get("destination");
        String source = inbound.tunnel().peer().fullName();
        relayedStreams.incrementAndGet();
        Forwarder toDestination = new Forwarder(destination);
        Forwarder toSource = new Forwarder(source);
        toDestination.from = inbound;
        toSource.to = inbound;
        toDestination.to = tunnels.get(destination).openStream(inbound.target(), Map.of(), toSource);
        toSource.from = toDestination.to;
        return toDestination;
    }

    /** Copies one direction, recording what passes toward {@code node}. */
    private final class Forwarder implements MeshStreamHandler {
        private final String node;
        private final AtomicLong position = new AtomicLong();
        volatile MeshStream from;
        volatile MeshStream to;

        Forwarder(String node) {
            this.node = node;
        }

        @Override
        public void onData(MeshStream stream, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            long start = position.getAndAdd(bytes.length);
            long flip = flipOffset.get();
            if (node.equals(flipToward) && flip >= start && flip < start + bytes.length) {
                bytes[(int) (flip - start)] ^= 0x01;
            }
            synchronized (InspectingRelay.this) {
                forwarded.computeIfAbsent(node, n -> new ByteArrayOutputStream()).writeBytes(bytes);
            }
            stream.consumed(bytes.length);
            executor.execute(() -> to.write(ByteBuffer.wrap(bytes)));
        }

        @Override
        public void onFin(MeshStream stream) {
            executor.execute(() -> to.shutdownOutput());
        }

        @Override
        public void onReset(MeshStream stream, ErrorCode code, String reason) {
            executor.execute(() -> to.reset(code, reason));
        }
    }
}

