package io.weft.control;

/**
 * Node's response to a {@link DesiredState}.
 *
 * @param revision revision of the acknowledged desired state
 * @param outcome whether the node applied the state
 * @param reason why the node rejected the state, {@code null} when applied
 */
public record StateAck(long revision, Outcome outcome, String reason) implements ControlMessage {

    /** Result of applying a desired state on a node. */
    public enum Outcome {
        APPLIED, REJECTED
    }

    public StateAck {
        Require.positive(revision, "revision");
        Require.present(outcome, "outcome");
        if (outcome == Outcome.REJECTED) {
            Require.text(reason, "reason");
        } else if (reason != null) {
            throw new IllegalArgumentException("reason must be null when the state is applied");
        }
    }

    public static StateAck applied(long revision) {
        return new StateAck(revision, Outcome.APPLIED, null);
    }

    public static StateAck rejected(long revision, String reason) {
        return new StateAck(revision, Outcome.REJECTED, reason);
    }

    @Override
    public FrameType type() {
        return FrameType.STATE_ACK;
    }
}
