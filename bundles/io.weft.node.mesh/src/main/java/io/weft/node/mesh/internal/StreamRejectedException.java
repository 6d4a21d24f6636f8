package io.weft.node.mesh.internal;

import io.weft.mesh.ErrorCode;

/** A stream that the source node does not open: policy denies it, or no tunnel leads to the destination. */
final class StreamRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    StreamRejectedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
