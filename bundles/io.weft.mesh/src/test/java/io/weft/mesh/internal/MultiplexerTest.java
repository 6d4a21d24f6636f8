package io.weft.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two multiplexers over an in-memory pair of transports, driven step by step on one thread. */
class MultiplexerTest {

    private static final int WINDOW = MeshSettings.INITIAL_WINDOW_BYTES;

    private final RecordingHandler.Acceptor dialerListener = new RecordingHandler.Acceptor();
    private final RecordingHandler.Acceptor acceptorListener = new RecordingHandler.Acceptor();

    @Test
    void streamCarriesDataBothWays() {
        TunnelPair pair = pair(MeshSettings.defaults());
        RecordingHandler client = new RecordingHandler();

        MeshStream stream = pair.dialer.tunnel.openStream("postgres", Map.of("source", "edge-a"), client);
        stream.write(ascii("request"));
        stream.shutdownOutput();
        pair.pump();
        MeshStream served = acceptorListener.streams.get(0);
        served.write(ascii("response"));
        served.shutdownOutput();
        pair.pump();

        RecordingHandler server = acceptorListener.handlers.get(0);
        assertThat(stream.id()).isEqualTo(1);
        assertThat(served.target()).isEqualTo("postgres");
        assertThat(served.metadata()).containsEntry("source", "edge-a");
        assertThat(server.received.toString(StandardCharsets.US_ASCII)).isEqualTo("request");
        assertThat(client.received.toString(StandardCharsets.US_ASCII)).isEqualTo("response");
        assertThat(server.events).containsExactly("data", "fin", "closed");
        assertThat(client.events).containsExactly("data", "fin", "closed");
        assertThat(pair.dialer.tunnel.streamCount()).isZero();
        assertThat(pair.acceptor.tunnel.streamCount()).isZero();
        assertThat(stream.bytesSent()).isEqualTo(7);
        assertThat(stream.bytesReceived()).isEqualTo(8);
    }

    @Test
    void queuedLentPayloadArrivesAsCopy() throws Exception {
        TunnelPair pair = pair(MeshSettings.defaults());
        CountDownLatch inFirstEvent = new CountDownLatch(1);
        CountDownLatch releaseFirstEvent = new CountDownLatch(1);
        RecordingHandler client = new RecordingHandler() {
            @Override
            public void onData(MeshStream stream, ByteBuffer data) {
                super.onData(stream, data);
                inFirstEvent.countDown();
                await(releaseFirstEvent);
            }
        };
        MeshStream stream = pair.dialer.tunnel.openStream("echo", Map.of(), client);
        pair.pump();

        // The other thread runs the tunnel's events and stays in the first one.
        Thread drainer = new Thread(() -> pair.dialer.tunnel.receive(new Frame.Data(stream.id(), ascii("first "), false)));
        drainer.start();
        await(inFirstEvent);
        byte[] lent = "second".getBytes(StandardCharsets.US_ASCII);
        pair.dialer.tunnel.receive(new Frame.Data(stream.id(), ByteBuffer.wrap(lent), false));
        Arrays.fill(lent, (byte) 'x');
        releaseFirstEvent.countDown();
        drainer.join(10_000);

        assertThat(drainer.isAlive()).as("thread still running the first event").isFalse();
        assertThat(client.received.toString(StandardCharsets.US_ASCII)).isEqualTo("first second");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released within 10 s").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    @Test
    void halfClosedStreamStillReceives() {
        TunnelPair pair = pair(MeshSettings.defaults());
        RecordingHandler client = new RecordingHandler();
        MeshStream stream = pair.dialer.tunnel.openStream("echo", Map.of(), client);

        stream.shutdownOutput();
        pair.pump();
        acceptorListener.streams.get(0).write(ascii("late reply"));
        pair.pump();

        assertThat(acceptorListener.handlers.get(0).fin).isTrue();
        assertThat(client.received.toString(StandardCharsets.US_ASCII)).isEqualTo("late reply");
        assertThat(client.closed).as("stream closed while the peer's direction is open").isFalse();
        assertThatThrownBy(() -> stream.write(ascii("x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its output is shut down");
    }

    @Test
    void resetReachesPeerWithCodeAndReason() {
        TunnelPair pair = pair(MeshSettings.defaults());
        RecordingHandler client = new RecordingHandler();
        MeshStream stream = pair.dialer.tunnel.openStream("echo", Map.of(), client);
        pair.pump();

        acceptorListener.streams.get(0).reset(ErrorCode.CONNECT_FAILED, "connection refused by 10.0.0.5:5432");
        pair.pump();

        assertThat(client.resetCode).isEqualTo(ErrorCode.CONNECT_FAILED);
        assertThat(client.resetReason).isEqualTo("reset by the peer: connection refused by 10.0.0.5:5432");
        assertThat(client.events).containsExactly("reset", "closed");
        assertThat(acceptorListener.handlers.get(0).events).as("events of the side that reset")
                .containsExactly("closed");
        assertThat(stream.write(ascii("dropped"))).isFalse();
        assertThat(pair.dialer.tunnel.streamCount()).isZero();
    }

    @Test
    void rejectedStreamCarriesListenerReason() {
        RecordingHandler.Acceptor denying = new RecordingHandler.Acceptor() {
            @Override
            public io.weft.mesh.MeshStreamHandler streamOpened(MeshStream stream) {
                stream.reset(ErrorCode.NOT_ALLOWED, "no rule allows edge-a to reach 'postgres'");
                return null;
            }
        };
        TunnelPair pair = new TunnelPair(MeshSettings.defaults(), dialerListener, denying);
        RecordingHandler client = new RecordingHandler();

        pair.dialer.tunnel.openStream("postgres", Map.of(), client);
        pair.pump();

        assertThat(client.resetCode).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(pair.acceptor.sent(Frame.Reset.class)).hasSize(1);
    }

    @Test
    void senderWaitsForWindowUpdate() {
        TunnelPair pair = pair(MeshSettings.defaults());
        acceptorListener.consumeOnRead = false;
        MeshStream stream = pair.dialer.tunnel.openStream("bulk", Map.of(), new RecordingHandler());

        boolean writable = stream.write(ByteBuffer.allocate(WINDOW + 100_000));
        pair.pump();
        RecordingHandler server = acceptorListener.handlers.get(0);
        MeshStream served = acceptorListener.streams.get(0);

        assertThat(writable).as("writable with 100000 bytes queued beyond the window").isFalse();
        assertThat(server.received.size()).isEqualTo(WINDOW);
        assertThat(pair.acceptor.sent(Frame.WindowUpdate.class)).isEmpty();

        server.consume(served, WINDOW / 2 - 1);
        pair.pump();
        assertThat(pair.acceptor.sent(Frame.WindowUpdate.class)).as("updates before half the window is consumed")
                .isEmpty();

        server.consume(served, 1);
        pair.pump();
        assertThat(pair.acceptor.sent(Frame.WindowUpdate.class)).containsExactly(
                new Frame.WindowUpdate(1, WINDOW / 2));
        assertThat(server.received.size()).isEqualTo(WINDOW + 100_000);
        assertThat(stream.bytesSent()).isEqualTo(WINDOW + 100_000);
    }

    @Test
    void writableEventFollowsDrainedQueue() {
        MeshSettings settings = MeshSettings.defaults().withStreamWriteBufferBytes(10_000);
        TunnelPair pair = pair(settings);
        acceptorListener.consumeOnRead = false;
        RecordingHandler client = new RecordingHandler();
        MeshStream stream = pair.dialer.tunnel.openStream("bulk", Map.of(), client);

        stream.write(ByteBuffer.allocate(WINDOW));
        boolean writable = stream.write(ByteBuffer.allocate(20_000));
        pair.pump();
        assertThat(writable).isFalse();
        assertThat(client.writableEvents).isZero();

        acceptorListener.handlers.get(0).consume(acceptorListener.streams.get(0), WINDOW);
        pair.pump();

        assertThat(client.writableEvents).isEqualTo(1);
        assertThat(stream.isWritable()).isTrue();
    }

    @Test
    void slowStreamDoesNotStallAnother() {
        TunnelPair pair = pair(MeshSettings.defaults());
        acceptorListener.consumeOnRead = false;
        MeshStream slow = pair.dialer.tunnel.openStream("slow", Map.of(), new RecordingHandler());
        MeshStream fast = pair.dialer.tunnel.openStream("fast", Map.of(), new RecordingHandler());
        pair.pump();
        RecordingHandler slowReader = acceptorListener.handlers.get(0);
        RecordingHandler fastReader = acceptorListener.handlers.get(1);
        fastReader.consumeOnRead = true;

        slow.write(ByteBuffer.allocate(4 * WINDOW));
        for (int i = 0; i < 16; i++) {
            fast.write(ByteBuffer.allocate(WINDOW / 2));
            pair.pump();
        }

        assertThat(slowReader.received.size()).as("bytes of the stream that nobody reads").isEqualTo(WINDOW);
        assertThat(fastReader.received.size()).as("bytes of the stream that is read").isEqualTo(8 * WINDOW);
    }

    @Test
    void tunnelWriteBufferIsSharedRoundRobin() {
        MeshSettings settings = MeshSettings.defaults().withTunnelWriteBufferBytes(64 * 1024);
        TunnelPair pair = pair(settings);
        MeshStream first = pair.dialer.tunnel.openStream("a", Map.of(), new RecordingHandler());
        MeshStream second = pair.dialer.tunnel.openStream("b", Map.of(), new RecordingHandler());
        pair.pump();
        pair.dialer.paused = true;

        first.write(ByteBuffer.allocate(4 * 16 * 1024));
        second.write(ByteBuffer.allocate(4 * 16 * 1024));
        pair.dialer.paused = false;
        pair.pump();

        assertThat(acceptorListener.handlers.get(0).received.size()).isEqualTo(64 * 1024);
        assertThat(acceptorListener.handlers.get(1).received.size()).isEqualTo(64 * 1024);
        assertThat(first.bytesSent()).isEqualTo(64 * 1024);
        assertThat(second.bytesSent()).isEqualTo(64 * 1024);
    }

    @Test
    void opensBeyondLimitAreRefused() {
        TunnelPair pair = pair(MeshSettings.defaults().withMaxInboundStreams(2));
        RecordingHandler third = new RecordingHandler();

        pair.dialer.tunnel.openStream("a", Map.of(), new RecordingHandler());
        pair.dialer.tunnel.openStream("b", Map.of(), new RecordingHandler());
        pair.dialer.tunnel.openStream("c", Map.of(), third);
        pair.pump();

        assertThat(acceptorListener.streams).hasSize(2);
        assertThat(third.resetCode).isEqualTo(ErrorCode.REFUSED_STREAM);
        assertThat(third.resetReason).isEqualTo("reset by the peer: too many streams: at most 2 may be open at once");
        assertThat(pair.dialer.tunnel.streamCount()).isEqualTo(2);
    }

    @Test
    void closedStreamFreesSlotForNewOpen() {
        TunnelPair pair = pair(MeshSettings.defaults().withMaxInboundStreams(1));
        MeshStream first = pair.dialer.tunnel.openStream("a", Map.of(), new RecordingHandler());
        pair.pump();

        first.reset(ErrorCode.CANCEL, "done");
        RecordingHandler second = new RecordingHandler();
        pair.dialer.tunnel.openStream("b", Map.of(), second);
        pair.pump();

        assertThat(second.resetCode).isNull();
        assertThat(acceptorListener.streams).hasSize(2);
    }

    @Test
    void reusedStreamIdIsRejected() {
        TunnelPair pair = pair(MeshSettings.defaults());
        pair.acceptor.tunnel.receive(new Frame.Open(1, "a", Map.of()));
        pair.acceptor.tunnel.receive(new Frame.Reset(1, ErrorCode.CANCEL, ""));

        pair.acceptor.tunnel.receive(new Frame.Open(1, "b", Map.of()));
        pair.pump();

        assertThat(acceptorListener.streams).extracting(MeshStream::target).containsExactly("a");
        assertThat(pair.acceptor.sent(Frame.Reset.class)).containsExactly(new Frame.Reset(1, ErrorCode.PROTOCOL_ERROR,
                "stream id 1 is not greater than the last opened id 1, and ids may not be reused or go backwards"));
    }

    @Test
    void outOfOrderStreamIdIsRejected() {
        TunnelPair pair = pair(MeshSettings.defaults());
        pair.acceptor.tunnel.receive(new Frame.Open(7, "a", Map.of()));

        pair.acceptor.tunnel.receive(new Frame.Open(5, "b", Map.of()));
        pair.pump();

        assertThat(acceptorListener.streams).extracting(MeshStream::id).containsExactly(7);
        assertThat(pair.acceptor.sent(Frame.Reset.class)).extracting(Frame.Reset::streamId, Frame.Reset::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5, ErrorCode.PROTOCOL_ERROR));
        assertThat(pair.acceptor.tunnel.isOpen()).isTrue();
    }

    @Test
    void streamIdOfWrongParityIsRejected() {
        TunnelPair pair = pair(MeshSettings.defaults());

        pair.acceptor.tunnel.receive(new Frame.Open(2, "a", Map.of()));
        pair.pump();

        assertThat(acceptorListener.streams).isEmpty();
        assertThat(pair.acceptor.sent(Frame.Reset.class)).containsExactly(new Frame.Reset(2, ErrorCode.PROTOCOL_ERROR,
                "stream id 2 is even, which only the accepting side may open"));
    }

    @Test
    void secondOpenOfOpenStreamClosesTunnel() {
        TunnelPair pair = pair(MeshSettings.defaults());
        pair.acceptor.tunnel.receive(new Frame.Open(1, "a", Map.of()));

        pair.acceptor.tunnel.receive(new Frame.Open(1, "a", Map.of()));
        pair.pump();

        assertThat(pair.acceptor.tunnel.isOpen()).isFalse();
        assertThat(pair.acceptor.sent(Frame.GoAway.class)).extracting(Frame.GoAway::code)
                .containsExactly(ErrorCode.PROTOCOL_ERROR);
        assertThat(acceptorListener.handlers.get(0).resetCode).isEqualTo(ErrorCode.TUNNEL_CLOSED);
    }

    @Test
    void frameForNeverOpenedStreamIsRejected() {
        TunnelPair pair = pair(MeshSettings.defaults());

        pair.acceptor.tunnel.receive(new Frame.Data(9, ascii("x"), false));
        pair.pump();

        assertThat(pair.acceptor.sent(Frame.Reset.class)).containsExactly(new Frame.Reset(9, ErrorCode.PROTOCOL_ERROR,
                "DATA for stream 9, which was never opened"));
    }

    @Test
    void dataBeyondWindowResetsStream() {
        TunnelPair pair = pair(MeshSettings.defaults());
        acceptorListener.consumeOnRead = false;
        pair.acceptor.tunnel.receive(new Frame.Open(1, "a", Map.of()));
        pair.pump();

        pair.acceptor.tunnel.receive(new Frame.Data(1, ByteBuffer.allocate(WINDOW), false));
        pair.acceptor.tunnel.receive(new Frame.Data(1, ByteBuffer.allocate(1), false));
        pair.pump();

        RecordingHandler server = acceptorListener.handlers.get(0);
        assertThat(server.resetCode).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR);
        assertThat(server.resetReason).isEqualTo("the peer sent 1 bytes with a window of 0 bytes");
        assertThat(pair.acceptor.tunnel.isOpen()).isTrue();
    }

    @Test
    void goAwayClosesTunnelWhenDrained() {
        TunnelPair pair = pair(MeshSettings.defaults());
        MeshStream stream = pair.dialer.tunnel.openStream("a", Map.of(), new RecordingHandler());
        pair.pump();

        pair.acceptor.tunnel.goAway("gateway restarting");
        pair.pump();

        assertThat(pair.dialer.tunnel.isOpen()).as("tunnel open while a stream is open").isTrue();
        assertThatThrownBy(() -> pair.dialer.tunnel.openStream("b", Map.of(), new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is going away");
        assertThatThrownBy(() -> pair.acceptor.tunnel.openStream("c", Map.of(), new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is going away");

        stream.shutdownOutput();
        acceptorListener.streams.get(0).shutdownOutput();
        pair.pump();

        assertThat(pair.dialer.tunnel.isOpen()).isFalse();
        assertThat(pair.acceptor.tunnel.isOpen()).isFalse();
        assertThat(dialerListener.tunnelClosed).isTrue();
    }

    @Test
    void closeWithCodeReachesPeer() {
        TunnelPair pair = pair(MeshSettings.defaults());
        pair.pump();
        assertThat(pair.dialer.tunnel.peerGoAwayCode()).as("code before any GOAWAY").isEmpty();

        pair.acceptor.tunnel.close(ErrorCode.PEER_REJECTED, "the certificate serial of this node is revoked");
        pair.pump();

        assertThat(pair.dialer.tunnel.isOpen()).as("dialer side open").isFalse();
        assertThat(dialerListener.tunnelClosed).as("dialer told of the close").isTrue();
        assertThat(pair.dialer.tunnel.peerGoAwayCode()).as("code of the peer's GOAWAY").contains(ErrorCode.PEER_REJECTED);
        assertThat(pair.acceptor.tunnel.peerGoAwayCode()).as("code on the closing side").isEmpty();
    }

    @Test
    void goAwayRefusesUnprocessedStreams() {
        TunnelPair pair = pair(MeshSettings.defaults());
        RecordingHandler early = new RecordingHandler();
        pair.dialer.tunnel.openStream("a", Map.of(), early);
        pair.pump();
        RecordingHandler late = new RecordingHandler();
        pair.dialer.tunnel.openStream("b", Map.of(), late);

        pair.acceptor.tunnel.goAway("draining");
        pair.pump();

        assertThat(early.resetCode).isNull();
        assertThat(late.resetCode).isEqualTo(ErrorCode.REFUSED_STREAM);
        assertThat(acceptorListener.streams).extracting(MeshStream::target).containsExactly("a");
    }

    @Test
    void silentPeerClosesTunnel() {
        MeshSettings settings = MeshSettings.defaults().withKeepalive(Duration.ofSeconds(10), 3)
                .withStreamIdleTimeout(Duration.ZERO);
        TunnelPair pair = pair(settings);
        RecordingHandler client = new RecordingHandler();
        pair.dialer.tunnel.openStream("a", Map.of(), client);
        pair.pump();
        pair.acceptor.paused = true;

        pair.advance(Duration.ofSeconds(10));
        pair.dialer.tunnel.tick();
        pair.pump();
        assertThat(pair.dialer.sent(Frame.Ping.class)).as("PINGs at start and after 10 s of silence").hasSize(2);
        assertThat(pair.dialer.tunnel.isOpen()).isTrue();

        pair.advance(Duration.ofSeconds(19));
        pair.dialer.tunnel.tick();
        assertThat(pair.dialer.tunnel.isOpen()).as("open 29 s after the last frame").isTrue();

        pair.advance(Duration.ofSeconds(1));
        pair.dialer.tunnel.tick();
        pair.pump();

        assertThat(pair.dialer.tunnel.isOpen()).as("open 30 s after the last frame").isFalse();
        assertThat(client.resetCode).isEqualTo(ErrorCode.TUNNEL_CLOSED);
        assertThat(client.resetReason).isEqualTo("the peer did not respond for 30000 ms");
        assertThat(dialerListener.tunnelClosed).isTrue();
    }

    @Test
    void pongMeasuresRoundTrip() {
        TunnelPair pair = pair(MeshSettings.defaults().withKeepalive(Duration.ofSeconds(10), 2));

        for (int i = 0; i < 5; i++) {
            pair.advance(Duration.ofSeconds(10));
            pair.dialer.tunnel.tick();
            pair.acceptor.tunnel.tick();
            pair.dialer.deliver();
            pair.advance(Duration.ofMillis(3));
            pair.pump();
        }

        assertThat(pair.dialer.tunnel.isOpen()).isTrue();
        assertThat(pair.acceptor.tunnel.isOpen()).isTrue();
        assertThat(pair.dialer.tunnel.roundTripTime()).contains(Duration.ofMillis(3));
        assertThat(pair.dialer.sent(Frame.Pong.class)).isNotEmpty();
    }

    @Test
    void idleStreamIsResetOnBothSides() {
        TunnelPair pair = pair(MeshSettings.defaults().withStreamIdleTimeout(Duration.ofMinutes(1))
                .withKeepalive(Duration.ofHours(1), 3));
        RecordingHandler client = new RecordingHandler();
        MeshStream stream = pair.dialer.tunnel.openStream("a", Map.of(), client);
        pair.pump();

        pair.advance(Duration.ofSeconds(59));
        stream.write(ascii("keeps it alive"));
        pair.advance(Duration.ofSeconds(59));
        pair.dialer.tunnel.tick();
        assertThat(client.resetCode).isNull();

        pair.advance(Duration.ofSeconds(1));
        pair.dialer.tunnel.tick();
        pair.pump();

        assertThat(client.resetCode).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        assertThat(acceptorListener.handlers.get(0).resetCode).isEqualTo(ErrorCode.IDLE_TIMEOUT);
    }

    @Test
    void closingTunnelResetsEveryStream() {
        TunnelPair pair = pair(MeshSettings.defaults());
        RecordingHandler first = new RecordingHandler();
        RecordingHandler second = new RecordingHandler();
        pair.dialer.tunnel.openStream("a", Map.of(), first);
        pair.dialer.tunnel.openStream("b", Map.of(), second);
        pair.pump();

        pair.dialer.tunnel.close();
        pair.pump();

        assertThat(first.events).containsExactly("reset", "closed");
        assertThat(second.resetCode).isEqualTo(ErrorCode.TUNNEL_CLOSED);
        assertThat(acceptorListener.handlers).allSatisfy(h -> assertThat(h.resetCode).isEqualTo(ErrorCode.TUNNEL_CLOSED));
        assertThat(pair.acceptor.tunnel.isOpen()).isFalse();
        assertThatThrownBy(() -> pair.dialer.tunnel.openStream("c", Map.of(), new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void throwingHandlerResetsOnlyItsStream() {
        TunnelPair pair = pair(MeshSettings.defaults());
        RecordingHandler client = new RecordingHandler();
        RecordingHandler failingHandler = new RecordingHandler() {
            @Override
            public void onData(MeshStream stream, ByteBuffer data) {
                throw new IllegalStateException("handler bug");
            }
        };
        MeshStream failing = pair.dialer.tunnel.openStream("a", Map.of(), failingHandler);
        MeshStream healthy = pair.dialer.tunnel.openStream("b", Map.of(), client);
        pair.pump();

        acceptorListener.streams.get(0).write(ascii("boom"));
        acceptorListener.streams.get(1).write(ascii("fine"));
        pair.pump();

        assertThat(acceptorListener.handlers.get(0).resetCode).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(failingHandler.resetCode).as("reset reported to the handler that failed, to release its resources")
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(client.received.toString(StandardCharsets.US_ASCII)).isEqualTo("fine");
        assertThat(pair.dialer.tunnel.streamCount()).isEqualTo(1);
        assertThat(failing.id()).isNotEqualTo(healthy.id());
    }

    @Test
    void openRejectsTargetBeyondLimit() {
        TunnelPair pair = pair(MeshSettings.defaults());

        assertThatThrownBy(() -> pair.dialer.tunnel.openStream("x".repeat(1025), Map.of(), new RecordingHandler()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("the target must be 1 to 1024 bytes of UTF-8, not 1025");
    }

    @Test
    void largerReceiveWindowIsGrantedAtOpen() {
        TunnelPair pair = pair(MeshSettings.defaults().withReceiveWindowBytes(4 * WINDOW));
        acceptorListener.consumeOnRead = false;
        MeshStream stream = pair.dialer.tunnel.openStream("a", Map.of(), new RecordingHandler());
        pair.pump();

        stream.write(ByteBuffer.allocate(8 * WINDOW));
        pair.pump();

        assertThat(acceptorListener.handlers.get(0).received.size()).isEqualTo(4 * WINDOW);
    }

    @Test
    void windowGrowsWhileItHoldsThePeerBack() {
        TunnelPair pair = pair(MeshSettings.defaults().withMaxReceiveWindowBytes(16 * WINDOW));
        MeshStream stream = pair.dialer.tunnel.openStream("bulk", Map.of(), new RecordingHandler());

        long sent = send(pair, stream, 64 * WINDOW);

        assertThat(acceptorListener.handlers.get(0).received.size()).isEqualTo(sent);
        assertThat(windowLimit(0)).as("window that starts at %d and doubles up to the largest", WINDOW)
                .isEqualTo(16 * WINDOW);
        assertThat(pair.dialer.sent(Frame.Data.class)).anyMatch(Frame.Data::blocked);
        assertThat(pair.acceptor.tunnel.windowGrowthBytes()).isEqualTo(15 * WINDOW);
    }

    @Test
    void windowDoesNotGrowForASlowConsumer() {
        TunnelPair pair = pair(MeshSettings.defaults().withMaxReceiveWindowBytes(16 * WINDOW));
        acceptorListener.consumeOnRead = false;
        MeshStream stream = pair.dialer.tunnel.openStream("bulk", Map.of(), new RecordingHandler());
        pair.pump();
        RecordingHandler server = acceptorListener.handlers.get(0);
        MeshStream served = acceptorListener.streams.get(0);

        stream.write(ByteBuffer.allocate(16 * WINDOW));
        pair.pump();
        for (int round = 0; round < 24; round++) {
            // The consumer takes half a window per round and never catches up with what arrived.
            server.consume(served, WINDOW / 2);
            pair.pump();
        }

        assertThat(server.received.size()).isEqualTo(13 * WINDOW);
        assertThat(pair.dialer.sent(Frame.Data.class)).anyMatch(Frame.Data::blocked);
        assertThat(windowLimit(0)).isEqualTo(WINDOW);
    }

    @Test
    void windowGrowthOfATunnelIsCapped() {
        MeshSettings settings = MeshSettings.defaults().withMaxReceiveWindowBytes(4 * WINDOW);
        TunnelPair pair = pair(settings);
        List<MeshStream> streams = new ArrayList<>();

        for (int i = 0; i < 8; i++) {
            MeshStream stream = pair.dialer.tunnel.openStream("bulk-" + i, Map.of(), new RecordingHandler());
            send(pair, stream, 32 * WINDOW);
            streams.add(stream);
        }
        long budget = (long) MeshSettings.TUNNEL_GROWTH_FACTOR * settings.maxReceiveWindowBytes();
        long grown = 0;
        for (int i = 0; i < 8; i++) {
            grown += windowLimit(i) - WINDOW;
        }

        assertThat(grown).as("growth of 8 streams that could each grow by %d", 3 * WINDOW).isEqualTo(budget);
        assertThat(pair.acceptor.tunnel.windowGrowthBytes()).isEqualTo(budget);
        assertThat(windowLimit(0)).isEqualTo(4 * WINDOW);
        assertThat(windowLimit(7)).isEqualTo(WINDOW);

        streams.get(0).reset(ErrorCode.CANCEL, "done");
        pair.pump();
        assertThat(pair.acceptor.tunnel.windowGrowthBytes()).as("growth after a grown stream ended")
                .isEqualTo(budget - 3 * WINDOW);
    }

    @Test
    void grownWindowsStayUnderTheUnreadLimit() {
        TunnelPair pair = pair(MeshSettings.defaults().withMaxReceiveWindowBytes(4 * WINDOW));
        pair.acceptor.tunnel.unreadLimitBytes = 8L * WINDOW;
        List<RecordingHandler> writers = new ArrayList<>();
        List<MeshStream> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingHandler writer = new RecordingHandler();
            writers.add(writer);
            MeshStream stream = pair.dialer.tunnel.openStream("slow-" + i, Map.of(), writer);
            send(pair, stream, 32 * WINDOW);
            streams.add(stream);
        }

        acceptorListener.consumeOnRead = false;
        for (MeshStream stream : streams) {
            send(pair, stream, 8 * WINDOW);
        }

        assertThat(pair.acceptor.tunnel.windowGrowthBytes()).as("growth, at most half the unread limit")
                .isEqualTo(4L * WINDOW);
        assertThat(writers).as("streams whose receivers stopped reading").allSatisfy(writer ->
                assertThat(writer.resetCode).isNull());
    }

    /**
     * Writes {@code bytes} in 64 KiB pieces as fast as the stream takes them, and delivers only
     * when it takes no more, as on a link with much data in flight. Returns the bytes written.
     */
    private static long send(TunnelPair pair, MeshStream stream, long bytes) {
        long sent = 0;
        while (sent < bytes) {
            boolean writable = true;
            while (sent < bytes && writable) {
                writable = stream.write(ByteBuffer.allocate(64 * 1024));
                sent += 64 * 1024;
            }
            pair.pump();
        }
        return sent;
    }

    /** Returns the window that the accepting side grants on the {@code index}th stream it accepted. */
    private int windowLimit(int index) {
        return ((DefaultMeshStream) acceptorListener.streams.get(index)).windowLimit();
    }

    @Test
    void unreadOverLimitResetsLargestStream() {
        TunnelPair pair = pair(MeshSettings.defaults());
        pair.acceptor.tunnel.unreadLimitBytes = 3L * WINDOW;
        acceptorListener.consumeOnRead = false;
        List<RecordingHandler> writers = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            RecordingHandler writer = new RecordingHandler();
            writers.add(writer);
            MeshStream stream = pair.dialer.tunnel.openStream("stalled-" + i, Map.of(), writer);
            stream.write(ByteBuffer.allocate(i == 1 ? WINDOW : WINDOW / 2 + 1));
            pair.pump();
        }
        MeshStream extra = pair.dialer.tunnel.openStream("stalled-4", Map.of(), new RecordingHandler());
        extra.write(ByteBuffer.allocate(WINDOW / 2));
        pair.pump();

        assertThat(writers.get(1).resetCode).as("reset of the stream with the most unread bytes")
                .isEqualTo(ErrorCode.CANCEL);
        assertThat(writers.get(1).resetReason).contains("has not read").contains(String.valueOf(3L * WINDOW));
        assertThat(writers.get(0).resetCode).as("reset of a stream with fewer unread bytes").isNull();
        assertThat(writers.get(2).resetCode).isNull();
        assertThat(pair.acceptor.tunnel.streamCount()).as("streams left at the receiver").isEqualTo(4);
    }

    @Test
    void writableBytesFollowWindowAndWriteBuffer() {
        TunnelPair pair = pair(MeshSettings.defaults().withStreamWriteBufferBytes(16 * 1024));
        acceptorListener.consumeOnRead = false;
        MeshStream stream = pair.dialer.tunnel.openStream("bulk", Map.of(), new RecordingHandler());
        pair.pump();

        int idle = stream.writableBytes();
        stream.write(ByteBuffer.allocate(WINDOW));
        int windowUsed = stream.writableBytes();
        stream.write(ByteBuffer.allocate(10_000));
        int partlyQueued = stream.writableBytes();
        stream.write(ByteBuffer.allocate(10_000));

        assertThat(idle).as("writable bytes of a new stream: its window and its write buffer")
                .isEqualTo(WINDOW + 16 * 1024);
        assertThat(windowUsed).as("writable bytes with the window used up").isEqualTo(16 * 1024);
        assertThat(partlyQueued).as("writable bytes with 10000 bytes queued").isEqualTo(16 * 1024 - 10_000);
        assertThat(stream.writableBytes()).as("writable bytes with the write buffer overfull").isZero();
    }

    private TunnelPair pair(MeshSettings settings) {
        return new TunnelPair(settings, dialerListener, acceptorListener);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
