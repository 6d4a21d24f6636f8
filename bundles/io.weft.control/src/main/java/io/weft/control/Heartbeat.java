package io.weft.control;

/**
 * Keepalive that a node sends when it has written nothing for one heartbeat interval. The
 * peer responds with a {@link HeartbeatAck} of the same sequence number.
 *
 * @param sequence number that increases by one with each heartbeat of a session, from 1
 */
public record Heartbeat(long sequence) implements ControlMessage {

    public Heartbeat {
        Require.positive(sequence, "sequence");
    }

    @Override
    public FrameType type() {
        return FrameType.HEARTBEAT;
    }
}
