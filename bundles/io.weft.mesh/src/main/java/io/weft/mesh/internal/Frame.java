package io.weft.mesh.internal;

import io.weft.mesh.ErrorCode;
import java.nio.ByteBuffer;
import java.util.Map;

/** A decoded frame. Each record is one {@link FrameType}. */
public sealed interface Frame {

    FrameType type();

    /** Returns the stream id, 0 for frames about the whole tunnel. */
    int streamId();

    record Open(int streamId, String target, Map<String, String> metadata) implements Frame {
        public FrameType type() {
            return FrameType.OPEN;
        }
    }

    /** DATA; {@code fin} is the FIN flag, which ends the sender's direction after this payload. */
    /** DATA; {@code blocked} is true when the sender's bytes had to wait for window before this frame. */
    record Data(int streamId, ByteBuffer payload, boolean fin, boolean blocked) implements Frame {
        public Data(int streamId, ByteBuffer payload, boolean fin) {
            this(streamId, payload, fin, false);
        }

        public FrameType type() {
            return FrameType.DATA;
        }
    }

    record WindowUpdate(int streamId, int increment) implements Frame {
        public FrameType type() {
            return FrameType.WINDOW_UPDATE;
        }
    }

    record Fin(int streamId) implements Frame {
        public FrameType type() {
            return FrameType.FIN;
        }
    }

    record Reset(int streamId, ErrorCode code, String reason) implements Frame {
        public FrameType type() {
            return FrameType.RESET;
        }
    }

    record Ping(long opaque) implements Frame {
        public FrameType type() {
            return FrameType.PING;
        }

        public int streamId() {
            return 0;
        }
    }

    record Pong(long opaque) implements Frame {
        public FrameType type() {
            return FrameType.PONG;
        }

        public int streamId() {
            return 0;
        }
    }

    /** GOAWAY; {@code lastStreamId} is the highest id of the receiver's streams that the sender processed. */
    record GoAway(int lastStreamId, ErrorCode code, String reason) implements Frame {
        public FrameType type() {
            return FrameType.GOAWAY;
        }

        public int streamId() {
            return 0;
        }
    }
}
