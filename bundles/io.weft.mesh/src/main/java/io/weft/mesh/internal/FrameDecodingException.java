package io.weft.mesh.internal;

import org.apache.mina.filter.codec.ProtocolDecoderException;

/**
 * Invalid input from the peer. The message leaves out the hex dump that MINA's codec filter
 * attaches to {@link ProtocolDecoderException#getMessage()}, because the input is customer
 * data and does not belong in a log.
 */
public final class FrameDecodingException extends ProtocolDecoderException {

    private static final long serialVersionUID = 1L;

    private final String detail;

    FrameDecodingException(String detail) {
        super(detail);
        this.detail = detail;
    }

    @Override
    public String getMessage() {
        return detail;
    }
}
