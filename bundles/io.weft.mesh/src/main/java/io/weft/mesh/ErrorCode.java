package io.weft.mesh;

/** Reason of a stream reset or a GOAWAY, as sent on the wire. */
public enum ErrorCode {
    /** Graceful end: a GOAWAY of a tunnel that closes normally. */
    NO_ERROR(0),
    /** The peer broke the frame protocol, for example with a stream id it may not use. */
    PROTOCOL_ERROR(1),
    /** The sender failed internally, for example a stream handler threw an exception. */
    INTERNAL_ERROR(2),
    /** The peer sent more data than the stream's window allowed, or overflowed the window. */
    FLOW_CONTROL_ERROR(3),
    /** The stream was not processed: too many open streams, or the tunnel is going away. Safe to retry. */
    REFUSED_STREAM(4),
    /** The application abandoned the stream. */
    CANCEL(5),
    /** No data moved in either direction for longer than the stream idle timeout. */
    IDLE_TIMEOUT(6),
    /** The tunnel closed or its peer stopped responding while the stream was open. Never sent. */
    TUNNEL_CLOSED(7),
    /** The destination could not reach the stream's target, for example a refused TCP connection. */
    CONNECT_FAILED(8),
    /** Policy does not allow the source to reach the target. */
    NOT_ALLOWED(9),
    /** The destination does not serve the target. */
    UNKNOWN_TARGET(10),
    /**
     * The receiver rejects the peer's certificate although TLS accepted it, for example because
     * its serial is revoked. Only a GOAWAY carries it, and dialling again cannot succeed until the
     * peer has a new certificate.
     */
    PEER_REJECTED(11),
    /** A code that this version does not know, received from a newer peer. */
    UNKNOWN(-1);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** Returns the code on the wire. */
    public int code() {
        return code;
    }

    /** Returns the constant for a code received on the wire, {@link #UNKNOWN} for codes this version lacks. */
    public static ErrorCode fromCode(int code) {
        for (ErrorCode value : values()) {
            if (value.code == code && value != UNKNOWN) {
                return value;
            }
        }
        return UNKNOWN;
    }
}
