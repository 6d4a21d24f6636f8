package io.weft.control;

/**
 * Node's request for a new certificate before its current one expires.
 *
 * @param csrPem PKCS #10 certificate signing request in PEM; the PKI layer parses and checks it
 */
public record RenewRequest(String csrPem) implements ControlMessage {

    public RenewRequest {
        Require.text(csrPem, "csrPem");
    }

    @Override
    public FrameType type() {
        return FrameType.RENEW_REQUEST;
    }
}
