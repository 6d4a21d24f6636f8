package io.weft.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.mesh.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frames decoded from stream bytes cut at every position, in memory. */
class StreamFrameDecoderTest {

    private static final int MAX_PAYLOAD = 64 * 1024;

    private static final List<Frame> ALL_TYPES = List.of(
            new Frame.Open(1, "service:echo", Map.of("weft-source", "edge-a.east.acme.example")),
            new Frame.Data(1, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), false),
            new Frame.Data(3, ByteBuffer.allocate(0), true),
            new Frame.WindowUpdate(1, Integer.MAX_VALUE),
            new Frame.Fin(2),
            new Frame.Reset(4, ErrorCode.NOT_ALLOWED, "policy 'deny-all' denies the stream"),
            new Frame.Ping(-1L),
            new Frame.Pong(42L),
            new Frame.GoAway(7, ErrorCode.PROTOCOL_ERROR, ""));

    private final StreamFrameDecoder decoder = new StreamFrameDecoder(MAX_PAYLOAD);
    private final List<Frame> decoded = new ArrayList<>();

    @Test
    void decodesConcatenatedFramesAtOnce() throws Exception {
        decoder.decode(concatenated(), this::keep);

        assertThat(decoded).containsExactlyElementsOf(ALL_TYPES);
        assertThat(decoder.hasIncompleteFrame()).as("incomplete frame after whole frames").isFalse();
    }

    @Test
    void decodesFramesFedByteByByte() throws Exception {
        ByteBuffer all = concatenated();

        while (all.hasRemaining()) {
            decoder.decode(ByteBuffer.wrap(new byte[] {all.get()}), this::keep);
        }

        assertThat(decoded).containsExactlyElementsOf(ALL_TYPES);
        assertThat(decoder.hasIncompleteFrame()).as("incomplete frame after the last byte").isFalse();
    }

    @Test
    void decodesInputCutAtEveryPosition() throws Exception {
        byte[] all = toArray(concatenated());

        for (int cut = 0; cut <= all.length; cut++) {
            StreamFrameDecoder fresh = new StreamFrameDecoder(MAX_PAYLOAD);
            List<Frame> frames = new ArrayList<>();

            fresh.decode(ByteBuffer.wrap(all, 0, cut), frame -> frames.add(copied(frame)));
            fresh.decode(ByteBuffer.wrap(all, cut, all.length - cut), frame -> frames.add(copied(frame)));

            assertThat(frames).as("frames of input cut at byte %d", cut).containsExactlyElementsOf(ALL_TYPES);
        }
    }

    @Test
    void dataPayloadCutInTwoArrivesWhole() throws Exception {
        byte[] input = toArray(Frames.encode(ALL_TYPES.get(1)).buf());

        decoder.decode(ByteBuffer.wrap(input, 0, 12), this::keep);
        decoder.decode(ByteBuffer.wrap(input, 12, input.length - 12), this::keep);
        java.util.Arrays.fill(input, (byte) 0);

        assertThat(decoded).containsExactly(ALL_TYPES.get(1));
    }

    @Test
    void rejectsOversizedLengthBeforeItsPayload() {
        ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_BYTES);
        header.put((byte) 0x01).put((byte) 0x00).put((byte) 0x01).put((byte) 1).put((byte) 0).putInt(1).flip();

        assertThatThrownBy(() -> {
            decoder.decode(header.duplicate().limit(4), this::keep);
            decoder.decode(header.position(4), this::keep);
        }).isInstanceOf(FrameDecodingException.class).hasMessageContaining("65537");
    }

    /** Keeps a frame beyond the decoder's call, which a DATA payload survives only as a copy. */
    private void keep(Frame frame) {
        decoded.add(copied(frame));
    }

    private static Frame copied(Frame frame) {
        if (!(frame instanceof Frame.Data data)) {
            return frame;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.payload().remaining()).put(data.payload().duplicate()).flip();
        return new Frame.Data(data.streamId(), copy, data.fin(), data.blocked());
    }

    private static ByteBuffer concatenated() {
        ByteBuffer all = ByteBuffer.allocate(4096);
        for (Frame frame : ALL_TYPES) {
            all.put(Frames.encode(frame).buf());
        }
        return all.flip();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
