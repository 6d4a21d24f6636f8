package io.weft.control;

/**
 * The manager's acknowledgement of {@link FlowRecords}: every record up to and including
 * {@code lastSequence} is stored, so the node may discard them.
 *
 * @param lastSequence the sequence number of the last stored record
 */
public record FlowAck(long lastSequence) implements ControlMessage {

    public FlowAck {
        Require.positive(lastSequence, "lastSequence");
    }

    @Override
    public FrameType type() {
        return FrameType.FLOW_ACK;
    }
}
