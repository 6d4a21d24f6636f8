package io.weft.control;

/**
 * Response to a {@link Heartbeat}.
 *
 * @param sequence sequence number of the acknowledged heartbeat
 */
public record HeartbeatAck(long sequence) implements ControlMessage {

    public HeartbeatAck {
        Require.positive(sequence, "sequence");
    }

    @Override
    public FrameType type() {
        return FrameType.HEARTBEAT_ACK;
    }
}
