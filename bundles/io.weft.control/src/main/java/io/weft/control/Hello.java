package io.weft.control;

/**
 * First message of a node after the TLS handshake. The manager responds with a
 * {@link HelloAck}. A node that sends nothing within the HELLO timeout is disconnected.
 *
 * @param protocolVersions control protocol versions that the node supports
 * @param weftVersion Weft release of the node, such as {@code 1.4.2}
 * @param appliedRevision revision of the desired state that the node applied last, 0 when it
 *     has applied none
 * @param uptimeMillis time since the node started, in milliseconds
 */
public record Hello(VersionRange protocolVersions, String weftVersion, long appliedRevision, long uptimeMillis)
        implements ControlMessage {

    public Hello {
        Require.present(protocolVersions, "protocolVersions");
        Require.text(weftVersion, "weftVersion");
        Require.notNegative(appliedRevision, "appliedRevision");
        Require.notNegative(uptimeMillis, "uptimeMillis");
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }
}
