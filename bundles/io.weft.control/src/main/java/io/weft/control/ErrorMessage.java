package io.weft.control;

import java.util.regex.Pattern;

/**
 * Error report from either side. The sender usually closes the session after it.
 *
 * @param code machine-readable code in lower case with hyphens, such as
 *     {@value #PROTOCOL_VIOLATION}
 * @param message explanation for the operator
 */
public record ErrorMessage(String code, String message) implements ControlMessage {

    /** Code sent before closing a session whose peer broke the framing or the message order. */
    public static final String PROTOCOL_VIOLATION = "protocol-violation";

    /** The manager revoked the node, which is final: the node needs a new record and enrollment. */
    public static final String NODE_REVOKED = "node-revoked";

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public ErrorMessage {
        Require.text(code, "code");
        Require.text(message, "message");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("code '" + code
                    + "' is invalid: use 1 to 64 lower-case letters, digits and hyphens, starting with a letter");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
