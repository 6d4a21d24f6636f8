package io.weft.control;

import java.util.Optional;

/**
 * Type byte of a control frame, with the side that may send it. A peer that receives a
 * frame type that its counterpart may not send closes the session.
 */
public enum FrameType {
    HELLO(1, Sender.NODE),
    HELLO_ACK(2, Sender.MANAGER),
    HEARTBEAT(3, Sender.EITHER),
    HEARTBEAT_ACK(4, Sender.EITHER),
    STATUS(5, Sender.NODE),
    DESIRED_STATE(6, Sender.MANAGER),
    STATE_ACK(7, Sender.NODE),
    RENEW_REQUEST(8, Sender.NODE),
    RENEW_RESPONSE(9, Sender.MANAGER),
    ERROR(10, Sender.EITHER),
    ARTIFACT_REQUEST(11, Sender.NODE),
    ARTIFACT_CHUNK(12, Sender.MANAGER),
    FLOW_RECORDS(13, Sender.NODE),
    FLOW_ACK(14, Sender.MANAGER);

    /** Side of the control connection that may send a frame type. */
    public enum Sender {
        NODE, MANAGER, EITHER;

        /** Returns whether a frame with this sender may come from {@code side}. */
        public boolean allows(Sender side) {
            return this == EITHER || this == side;
        }
    }

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final Sender sender;

    FrameType(int code, Sender sender) {
        this.code = code;
        this.sender = sender;
    }

    /** Value of the type byte on the wire, 1 to 255. */
    public int code() {
        return code;
    }

    public Sender sender() {
        return sender;
    }

    /** Returns the type with the given type byte, or empty for an unknown or out-of-range value. */
    public static Optional<FrameType> fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_CODE[code]);
    }

    /** Returns the highest type byte that this version of the protocol defines. */
    public static int maxCode() {
        int max = 0;
        for (FrameType type : values()) {
            max = Math.max(max, type.code);
        }
        return max;
    }
}
