package io.weft.control.internal;

/** Layout of a control frame. */
final class Frames {

    /** Bytes of the length prefix. */
    static final int LENGTH_BYTES = Integer.BYTES;

    /** Bytes before the payload: the length prefix and the type byte. */
    static final int HEADER_BYTES = LENGTH_BYTES + 1;

    private Frames() {
    }
}
