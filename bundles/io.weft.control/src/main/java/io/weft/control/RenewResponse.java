package io.weft.control;

/**
 * Manager's response to a {@link RenewRequest}: either the new certificate chain or the error.
 *
 * @param chainPem new certificate chain in PEM, leaf first, or {@code null} on error
 * @param error why no certificate was issued, or {@code null} on success
 */
public record RenewResponse(String chainPem, String error) implements ControlMessage {

    public RenewResponse {
        if ((chainPem == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of chainPem and error must be set");
        }
        if (chainPem != null) {
            Require.text(chainPem, "chainPem");
        } else {
            Require.text(error, "error");
        }
    }

    public static RenewResponse issued(String chainPem) {
        return new RenewResponse(chainPem, null);
    }

    public static RenewResponse failed(String error) {
        return new RenewResponse(null, error);
    }

    @Override
    public FrameType type() {
        return FrameType.RENEW_RESPONSE;
    }
}
