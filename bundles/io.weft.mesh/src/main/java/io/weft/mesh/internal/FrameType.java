package io.weft.mesh.internal;

/** Frame types and their codes on the wire. */
public enum FrameType {
    OPEN(1, true),
    DATA(2, true),
    WINDOW_UPDATE(3, true),
    FIN(4, true),
    RESET(5, true),
    PING(6, false),
    PONG(7, false),
    GOAWAY(8, false);

    private static final FrameType[] BY_CODE = new FrameType[9];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final boolean onStream;

    FrameType(int code, boolean onStream) {
        this.code = code;
        this.onStream = onStream;
    }

    public int code() {
        return code;
    }

    /** Returns true when frames of this type name a stream (id 1 or more), false when they use id 0. */
    public boolean isOnStream() {
        return onStream;
    }

    /** Returns the type of {@code code}, or null when no type has it. */
    static FrameType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
