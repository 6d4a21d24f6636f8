package io.weft.control;

import java.util.OptionalInt;

/**
 * Manager's response to a {@link Hello}. An accepted HELLO fixes the protocol version and the
 * heartbeat interval of the session. A rejected one carries the reason, and the manager
 * closes the session after sending it.
 *
 * @param accepted whether the manager accepted the node
 * @param protocolVersion negotiated protocol version when accepted, 0 when rejected
 * @param heartbeatIntervalSeconds seconds between the node's heartbeats when accepted, 0 when
 *     rejected
 * @param reason why the manager rejected the node, {@code null} when accepted
 */
public record HelloAck(boolean accepted, int protocolVersion, int heartbeatIntervalSeconds, String reason)
        implements ControlMessage {

    public HelloAck {
        if (accepted) {
            Require.positive(protocolVersion, "protocolVersion");
            Require.positive(heartbeatIntervalSeconds, "heartbeatIntervalSeconds");
            if (reason != null) {
                throw new IllegalArgumentException("reason must be null when the HELLO is accepted");
            }
        } else {
            Require.text(reason, "reason");
            if (protocolVersion != 0 || heartbeatIntervalSeconds != 0) {
                throw new IllegalArgumentException(
                        "protocolVersion and heartbeatIntervalSeconds must be 0 when the HELLO is rejected");
            }
        }
    }

    public static HelloAck accept(int protocolVersion, int heartbeatIntervalSeconds) {
        return new HelloAck(true, protocolVersion, heartbeatIntervalSeconds, null);
    }

    public static HelloAck reject(String reason) {
        return new HelloAck(false, 0, 0, reason);
    }

    /**
     * Accepts the highest protocol version that both sides support, or rejects the HELLO with
     * a reason that names the versions of each side.
     */
    public static HelloAck negotiate(VersionRange managerVersions, Hello hello, int heartbeatIntervalSeconds) {
        VersionRange nodeVersions = hello.protocolVersions();
        OptionalInt common = managerVersions.highestCommon(nodeVersions);
        if (common.isEmpty()) {
            return reject("No common control protocol version: the node supports " + nodeVersions
                    + " and the manager supports " + managerVersions + ". Upgrade the older side.");
        }
        return accept(common.getAsInt(), heartbeatIntervalSeconds);
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO_ACK;
    }
}
