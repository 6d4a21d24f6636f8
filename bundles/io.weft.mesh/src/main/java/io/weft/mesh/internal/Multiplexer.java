package io.weft.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.IoLoop;
import io.weft.mesh.MeshListener;
import io.weft.mesh.MeshPeer;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one tunnel, independent of the connection under it: stream ids, the OPEN,
 * FIN, RESET and GOAWAY rules, keepalive and dead-peer detection, and fair sharing of the
 * connection's write buffer.
 *
 * <p>One lock guards the state of the tunnel and all its streams. Frames and events are queued
 * in order while it is held and passed on after it is released, through two
 * {@link SerialQueue}s, so neither the transport nor a handler ever runs under the lock.
 * Time comes from {@code nanoClock}, and {@link #tick()} runs the timers, so tests drive both.
 */
public final class Multiplexer implements MeshTunnel {

    private static final Logger LOG = LoggerFactory.getLogger(Multiplexer.class);

    final Object lock = new Object();
    final MeshSettings settings;

    private volatile MeshPeer peer;
    private final boolean dialer;
    private final MeshListener listener;
    private final FrameTransport transport;
    private final LongSupplier nanoClock;
    private final SerialQueue<Object> outbound;
    private final SerialQueue<Runnable> events = new SerialQueue<>(Runnable::run);

    private final Map<Integer, DefaultMeshStream> streams = new HashMap<>();
    /** Streams with bytes and window to send that wait for room in the write buffer, served round robin. */
    private final ArrayDeque<DefaultMeshStream> waiting = new ArrayDeque<>();
    private long nextLocalId;
    private int lastRemoteId;
    private int inboundStreams;
    private long rejectedStreams;
    private long bufferedBytes;
    /** Bytes by which the streams' windows grew beyond the settings' receive window, in total. */
    private long windowGrowthBytes;
    /** Bytes delivered to the streams' handlers and not yet consumed, in total. */
    private long unreadBytes;
    private long unreadResets;
    /** The limit for {@link #unreadBytes}; tests lower it. */
    long unreadLimitBytes = UNREAD_LIMIT_BYTES;
    private boolean open = true;
    private boolean goAwaySent;
    private boolean goAwayReceived;
    private volatile ErrorCode peerGoAwayCode;
    private long lastReceivedNanos;
    private boolean pingOutstanding;
    private long pingSentNanos;
    private volatile long roundTripNanos = -1;

    private enum Close {
        FLUSH, NOW
    }

    public Multiplexer(MeshPeer peer, boolean dialer, MeshSettings settings, MeshListener listener,
            FrameTransport transport, LongSupplier nanoClock) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.dialer = dialer;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.outbound = new SerialQueue<>(this::pass);
        this.nextLocalId = dialer ? 1 : 2;
        this.lastReceivedNanos = nanoClock.getAsLong();
    }

    /**
     * Sends the first PING, which also proves to a dialling peer that this side accepted the
     * handshake, and reports the tunnel to the listener. Call once, before the first {@link #receive}.
     */
    public void start() {
        synchronized (lock) {
            sendPing(now());
        }
        events.add(() -> listener.tunnelOpened(this));
        flush();
    }

    @Override
    public MeshPeer peer() {
        return peer;
    }

    /**
     * Replaces the peer once its identity is proven, for a tunnel that opens streams before its
     * own handshake completes, such as an end-to-end session.
     */
    public void peerVerified(MeshPeer verified) {
        this.peer = Objects.requireNonNull(verified, "verified");
    }

    @Override
    public boolean isDialer() {
        return dialer;
    }

    @Override
    public MeshStream openStream(String target, Map<String, String> metadata, MeshStreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Map<String, String> copy = Map.copyOf(metadata);
        String problem = Frames.openProblem(target, copy);
        if (problem != null) {
            throw new IllegalArgumentException("Cannot open a stream to '" + target + "': " + problem);
        }
        DefaultMeshStream stream;
        synchronized (lock) {
            requireOpenForStreams();
            int id = (int) nextLocalId;
            nextLocalId += 2;
            stream = new DefaultMeshStream(this, id, target, copy, true, now());
            stream.handler = handler;
            streams.put(id, stream);
            send(Frames.encode(new Frame.Open(id, target, copy)));
            stream.growReceiveWindow();
        }
        flush();
        return stream;
    }

    private void requireOpenForStreams() {
        if (!open) {
            throw new IllegalStateException("Cannot open a stream: the tunnel with " + peer + " is closed");
        }
        if (goAwaySent || goAwayReceived) {
            throw new IllegalStateException("Cannot open a stream: the tunnel with " + peer + " is going away");
        }
        if (nextLocalId > Integer.MAX_VALUE) {
            throw new IllegalStateException("Cannot open a stream: the tunnel with " + peer
                    + " has used up its stream ids; open a new tunnel");
        }
    }

    @Override
    public void goAway(String reason) {
        synchronized (lock) {
            if (!open || goAwaySent) {
                return;
            }
            goAwaySent = true;
            send(Frames.encode(new Frame.GoAway(lastRemoteId, ErrorCode.NO_ERROR, reason)));
            closeIfDrained();
        }
        flush();
    }

    /** Returns true while this side may open streams: the tunnel is open and neither side sent GOAWAY. */
    public boolean isOpenForStreams() {
        synchronized (lock) {
            return open && !goAwaySent && !goAwayReceived;
        }
    }

    @Override
    public int streamCount() {
        synchronized (lock) {
            return streams.size();
        }
    }

    @Override
    public Optional<IoLoop> ioLoop() {
        return transport.ioLoop();
    }

    @Override
    public Optional<Duration> roundTripTime() {
        long nanos = roundTripNanos;
        return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return open;
        }
    }

    @Override
    public void close() {
        close(ErrorCode.NO_ERROR, "the tunnel was closed by this node");
    }

    @Override
    public void close(ErrorCode code, String reason) {
        synchronized (lock) {
            closeLocked(reason, code, Close.FLUSH);
        }
        flush();
    }

    @Override
    public Optional<ErrorCode> peerGoAwayCode() {
        return Optional.ofNullable(peerGoAwayCode);
    }

    /**
     * Maximum of bytes that the streams of one tunnel may keep unread before the stream with the
     * largest share is reset: a quarter of the heap, and at least 16 MiB. The windows bound only
     * each stream, and a peer may send a whole window on each of up to maxInboundStreams streams.
     */
    static final long UNREAD_LIMIT_BYTES = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);

    /**
     * Handles one frame from the peer. A DATA frame's payload may be a view of bytes that the
     * caller reuses once this returns, because a handler that has not received it by then gets
     * a copy.
     */
    public void receive(Frame frame) {
        InboundPayload lent = null;
        synchronized (lock) {
            if (!open) {
                return;
            }
            lastReceivedNanos = now();
            switch (frame.type()) {
                case OPEN -> receiveOpen((Frame.Open) frame);
                case DATA -> lent = receiveData((Frame.Data) frame);
                case WINDOW_UPDATE -> receiveWindowUpdate((Frame.WindowUpdate) frame);
                case FIN -> receiveFin(frame.streamId());
                case RESET -> receiveReset((Frame.Reset) frame);
                case PING -> send(Frames.encode(new Frame.Pong(((Frame.Ping) frame).opaque())));
                case PONG -> receivePong((Frame.Pong) frame);
                case GOAWAY -> receiveGoAway((Frame.GoAway) frame);
            }
            resetWhileUnreadOverLimit();
        }
        try {
            flush();
        } finally {
            if (lent != null) {
                lent.endLoan();
            }
        }
    }

    /**
     * Resets the streams with the most unread bytes while the tunnel keeps more than
     * {@link #unreadLimitBytes} for receivers that do not read, so that they cannot exhaust
     * the heap. Logs the first reset of the tunnel at WARN and the others at DEBUG.
     */
    private void resetWhileUnreadOverLimit() {
        while (unreadBytes > unreadLimitBytes) {
            DefaultMeshStream largest = null;
            for (DefaultMeshStream stream : streams.values()) {
                if (largest == null || stream.unreadBytes() > largest.unreadBytes()) {
                    largest = stream;
                }
            }
            if (largest == null || largest.unreadBytes() == 0) {
                return;
            }
            unreadResets++;
            String reason = "this node holds " + largest.unreadBytes() + " bytes that the stream's receiver has not"
                    + " read, and its streams from this peer may hold " + unreadLimitBytes + " in total";
            if (unreadResets == 1) {
                LOG.warn("Mesh tunnel with {}: reset stream {} to '{}': {}. Further such resets on this tunnel are"
                        + " logged at DEBUG.", peer, largest.id(), largest.target(), reason);
            } else {
                LOG.debug("Mesh tunnel with {}: reset stream {} to '{}' ({} such resets so far)", peer, largest.id(),
                        largest.target(), unreadResets);
            }
            largest.abort(ErrorCode.CANCEL, reason, true, true);
        }
    }

    /** Adds {@code bytes}, negative when consumed, to the tunnel's count of unread bytes. */
    void unreadChanged(long bytes) {
        unreadBytes += bytes;
    }

    /** Closes the tunnel after invalid input from the peer, telling it why in a GOAWAY. */
    public void protocolError(String message) {
        synchronized (lock) {
            closeLocked(message, ErrorCode.PROTOCOL_ERROR, Close.FLUSH);
        }
        flush();
    }

    /** Reports that the transport wrote a frame of {@code bytes} to the network. */
    public void frameWritten(int bytes) {
        synchronized (lock) {
            bufferedBytes -= bytes;
            while (open && hasRoom() && !waiting.isEmpty()) {
                DefaultMeshStream stream = waiting.poll();
                stream.waiting = false;
                stream.sendQueued(1);
            }
        }
        flush();
    }

    /** Reports that the connection closed; resets the open streams. */
    public void transportClosed() {
        transportClosed("the connection closed");
    }

    /** Reports that the connection closed for {@code reason}, which the reset streams report. */
    public void transportClosed(String reason) {
        synchronized (lock) {
            closeLocked(reason, ErrorCode.NO_ERROR, Close.NOW);
        }
        flush();
    }

    /** Sends a PING after a silent interval, closes a dead tunnel and resets idle streams. */
    public void tick() {
        synchronized (lock) {
            if (open) {
                checkPeer(now());
            }
            if (open && !settings.streamIdleTimeout().isZero()) {
                resetIdleStreams(now());
            }
        }
        flush();
    }

    private void checkPeer(long now) {
        long interval = settings.pingInterval().toNanos();
        long silentNanos = now - lastReceivedNanos;
        if (silentNanos >= interval * settings.maxMissedPings()) {
            LOG.warn("Mesh tunnel with {}: closing because nothing arrived for {} ms, {} ping intervals of {} ms",
                    peer, Duration.ofNanos(silentNanos).toMillis(), settings.maxMissedPings(),
                    settings.pingInterval().toMillis());
            closeLocked("the peer did not respond for " + Duration.ofNanos(silentNanos).toMillis() + " ms", null,
                    Close.NOW);
        } else if (silentNanos >= interval && (!pingOutstanding || now - pingSentNanos >= interval)) {
            sendPing(now);
        }
    }

    private void sendPing(long now) {
        pingOutstanding = true;
        pingSentNanos = now;
        send(Frames.encode(new Frame.Ping(now)));
    }

    private void resetIdleStreams(long now) {
        long timeout = settings.streamIdleTimeout().toNanos();
        for (DefaultMeshStream stream : new ArrayList<>(streams.values())) {
            if (now - stream.lastActivityNanos >= timeout) {
                stream.abort(ErrorCode.IDLE_TIMEOUT, "no data moved for " + settings.streamIdleTimeout().toSeconds()
                        + " s", true, true);
            }
        }
    }

    private void receiveOpen(Frame.Open open) {
        int id = open.streamId();
        String rejection = openRejection(id);
        if (rejection != null) {
            return;
        }
        lastRemoteId = id;
        if (goAwaySent) {
            sendReset(id, ErrorCode.REFUSED_STREAM, "the tunnel is going away");
            return;
        }
        if (inboundStreams >= settings.maxInboundStreams()) {
            rejectExcessStream(id);
            return;
        }
        DefaultMeshStream stream = new DefaultMeshStream(this, id, open.target(), open.metadata(), false, now());
        streams.put(id, stream);
        inboundStreams++;
        stream.growReceiveWindow();
        events.add(() -> accept(stream));
    }

    /** Returns why an OPEN with {@code id} is rejected after rejecting it, or null when the id is valid. */
    private String openRejection(int id) {
        if (isLocalId(id)) {
            String reason = "stream id " + id + " is " + (dialer ? "odd" : "even") + ", which only the "
                    + (dialer ? "dialling" : "accepting") + " side may open";
            LOG.warn("Mesh tunnel with {}: rejected OPEN: {}", peer, reason);
            sendReset(id, ErrorCode.PROTOCOL_ERROR, reason);
            return reason;
        }
        if (streams.containsKey(id)) {
            String reason = "OPEN for stream " + id + ", which is already open";
            LOG.warn("Mesh tunnel with {}: closing after a protocol error: {}", peer, reason);
            closeLocked(reason, ErrorCode.PROTOCOL_ERROR, Close.FLUSH);
            return reason;
        }
        if (id <= lastRemoteId) {
            String reason = "stream id " + id + " is not greater than the last opened id " + lastRemoteId
                    + ", and ids may not be reused or go backwards";
            LOG.warn("Mesh tunnel with {}: rejected OPEN: {}", peer, reason);
            sendReset(id, ErrorCode.PROTOCOL_ERROR, reason);
            return reason;
        }
        return null;
    }

    private void rejectExcessStream(int id) {
        rejectedStreams++;
        String reason = "too many streams: at most " + settings.maxInboundStreams() + " may be open at once";
        if (rejectedStreams == 1) {
            LOG.warn("Mesh tunnel with {}: rejected stream {}: {}. Further rejections on this tunnel are logged "
                    + "at DEBUG.", peer, id, reason);
        } else {
            LOG.debug("Mesh tunnel with {}: rejected stream {} ({} rejected so far)", peer, id, rejectedStreams);
        }
        sendReset(id, ErrorCode.REFUSED_STREAM, reason);
    }

    private void accept(DefaultMeshStream stream) {
        if (stream.isAborted()) {
            return;
        }
        MeshStreamHandler handler;
        try {
            handler = listener.streamOpened(stream);
        } catch (RuntimeException e) {
            LOG.error("Mesh tunnel with {}: the listener failed on stream {} to '{}'", peer, stream.id(),
                    stream.target(), e);
            stream.reset(ErrorCode.INTERNAL_ERROR, "the receiver failed to accept the stream");
            return;
        }
        if (handler == null) {
            stream.reset(ErrorCode.REFUSED_STREAM, "the receiver rejected the stream");
        } else {
            stream.handler = handler;
        }
    }

    /** Passes DATA to its stream; returns the payload lent to the stream's handler, or null. */
    private InboundPayload receiveData(Frame.Data data) {
        DefaultMeshStream stream = streams.get(data.streamId());
        if (stream == null) {
            unknownStream(data.streamId(), FrameType.DATA);
            return null;
        }
        InboundPayload payload = InboundPayload.lent(data.payload());
        return stream.receiveData(payload, data.payload().remaining(), data.fin(), data.blocked()) ? payload : null;
    }

    private void receiveWindowUpdate(Frame.WindowUpdate update) {
        DefaultMeshStream stream = streams.get(update.streamId());
        if (stream == null) {
            unknownStream(update.streamId(), FrameType.WINDOW_UPDATE);
        } else {
            stream.receiveWindowUpdate(update.increment());
        }
    }

    private void receiveFin(int id) {
        DefaultMeshStream stream = streams.get(id);
        if (stream == null) {
            unknownStream(id, FrameType.FIN);
        } else {
            stream.receiveData(null, 0, true, false);
        }
    }

    private void receiveReset(Frame.Reset reset) {
        DefaultMeshStream stream = streams.get(reset.streamId());
        if (stream != null) {
            stream.abort(reset.code(), "reset by the peer: " + reset.reason(), false, true);
        }
    }

    private void receivePong(Frame.Pong pong) {
        if (pingOutstanding && pong.opaque() == pingSentNanos) {
            pingOutstanding = false;
            roundTripNanos = now() - pingSentNanos;
        }
    }

    private void receiveGoAway(Frame.GoAway goAway) {
        goAwayReceived = true;
        peerGoAwayCode = goAway.code();
        LOG.info("Mesh tunnel with {}: the peer is going away ({}: {}), last processed stream {}", peer,
                goAway.code(), goAway.reason(), goAway.lastStreamId());
        for (DefaultMeshStream stream : new ArrayList<>(streams.values())) {
            if (stream.isLocal() && stream.id() > goAway.lastStreamId()) {
                stream.abort(ErrorCode.REFUSED_STREAM, "the peer is going away and did not process the stream",
                        false, true);
            }
        }
        closeIfDrained();
    }

    /**
     * Handles a frame for a stream that is not open: frames that were in flight when a stream
     * closed are dropped, while a stream id that was never opened is a protocol error.
     */
    private void unknownStream(int id, FrameType type) {
        boolean opened = isLocalId(id) ? id < nextLocalId : id <= lastRemoteId;
        if (opened) {
            LOG.debug("Mesh tunnel with {}: dropped {} for closed stream {}", peer, type, id);
            return;
        }
        String reason = type + " for stream " + id + ", which was never opened";
        LOG.warn("Mesh tunnel with {}: rejected frame: {}", peer, reason);
        sendReset(id, ErrorCode.PROTOCOL_ERROR, reason);
    }

    private void sendReset(int id, ErrorCode code, String reason) {
        send(Frames.encode(new Frame.Reset(id, code, reason)));
    }

    private boolean isLocalId(int id) {
        return (id & 1) == (dialer ? 1 : 0);
    }

    /** Closes the tunnel; {@code goAwayCode} null sends no GOAWAY. Call with the lock held. */
    private void closeLocked(String reason, ErrorCode goAwayCode, Close close) {
        if (!open) {
            return;
        }
        open = false;
        if (goAwayCode != null && close == Close.FLUSH) {
            send(Frames.encode(new Frame.GoAway(lastRemoteId, goAwayCode, reason)));
        }
        outbound.add(close);
        for (DefaultMeshStream stream : new ArrayList<>(streams.values())) {
            stream.abort(ErrorCode.TUNNEL_CLOSED, reason, false, true);
        }
        waiting.clear();
        events.add(() -> listener.tunnelClosed(this));
        LOG.debug("Mesh tunnel with {}: closed: {}", peer, reason);
    }

    private void closeIfDrained() {
        if (streams.isEmpty()) {
            closeLocked("the tunnel went away with no open streams", ErrorCode.NO_ERROR, Close.FLUSH);
        }
    }

    // The methods below serve DefaultMeshStream; call them with the lock held.

    void send(IoBuffer frame) {
        bufferedBytes += frame.remaining();
        outbound.add(frame);
    }

    void send(OutboundData frame) {
        bufferedBytes += frame.size();
        outbound.add(frame);
    }

    /** Returns true while the DATA frames handed to the transport and not yet written fit the tunnel's write buffer. */
    boolean hasRoom() {
        return bufferedBytes < settings.tunnelWriteBufferBytes();
    }

    void awaitRoom(DefaultMeshStream stream) {
        if (!stream.waiting) {
            stream.waiting = true;
            waiting.add(stream);
        }
    }

    void event(Runnable event) {
        events.add(event);
    }

    /** Returns the bytes by which the windows of the open streams grew, in total. */
    long windowGrowthBytes() {
        synchronized (lock) {
            return windowGrowthBytes;
        }
    }

    /**
     * Grants up to {@code requested} bytes of window growth from the tunnel's budget and returns
     * what it granted, 0 once the budget is spent. The budget is at most half of
     * {@link #unreadLimitBytes}, so that a few streams whose receivers fall behind, each with a
     * grown window, stay under the limit and are held back by their windows instead of reset.
     */
    int grantWindowGrowth(int requested) {
        long budget = Math.min((long) MeshSettings.TUNNEL_GROWTH_FACTOR * settings.maxReceiveWindowBytes(),
                unreadLimitBytes / 2);
        int granted = (int) Math.max(0, Math.min(requested, budget - windowGrowthBytes));
        windowGrowthBytes += granted;
        return granted;
    }

    void removed(DefaultMeshStream stream) {
        windowGrowthBytes -= stream.windowGrowth();
        unreadBytes -= stream.releaseUnread();
        streams.remove(stream.id());
        if (!stream.isLocal()) {
            inboundStreams--;
        }
        if (stream.waiting) {
            waiting.remove(stream);
            stream.waiting = false;
        }
        if (open && (goAwaySent || goAwayReceived)) {
            closeIfDrained();
        }
    }

    boolean isClosed() {
        return !open;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** Passes queued frames and events on; call after releasing the lock. */
    void flush() {
        outbound.drain();
        events.drain();
    }

    private void pass(Object item) {
        if (item instanceof IoBuffer frame) {
            transport.write(frame);
        } else if (item instanceof OutboundData data) {
            pass(data);
        } else {
            transport.close(item == Close.FLUSH);
        }
    }

    /** Writes a DATA frame, from the writer's buffer when the writer has not yet copied it. */
    private void pass(OutboundData data) {
        if (!data.take()) {
            data.awaitReleased();
            transport.write(data);
            return;
        }
        try {
            transport.write(data);
        } finally {
            data.release();
        }
    }

    @Override
    public String toString() {
        return "mesh tunnel with " + peer;
    }
}
