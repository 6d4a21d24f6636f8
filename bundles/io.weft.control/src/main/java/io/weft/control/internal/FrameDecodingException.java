package io.weft.control.internal;

import org.apache.mina.filter.codec.ProtocolDecoderException;

/**
 * Decoding failure whose message leaves out the hex dump that MINA's codec filter attaches
 * to {@link ProtocolDecoderException#getMessage()}, because the input may be up to a whole
 * frame and its content does not belong in a log. {@link #getHexdump()} still returns it.
 */
final class FrameDecodingException extends ProtocolDecoderException {

    private static final long serialVersionUID = 1L;

    private final String detail;

    FrameDecodingException(String detail) {
        super(detail);
        this.detail = detail;
    }

    FrameDecodingException(String detail, Throwable cause) {
        super(detail, cause);
        this.detail = detail;
    }

    @Override
    public String getMessage() {
        return detail;
    }
}
