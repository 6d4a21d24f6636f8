package io.weft.control;

import java.util.Arrays;

/**
 * Signed desired state that the manager pushes to a node. The envelope is opaque at this
 * level: it is produced and verified elsewhere, and the revision travels beside it only so
 * that both sides can log and acknowledge it without opening the envelope. The node must
 * take the authoritative revision from the verified envelope.
 *
 * <p>On the wire the payload is the revision as an 8-byte big-endian number followed by the
 * envelope bytes, without JSON, because the envelope can be large.
 *
 * @param revision revision of the desired state, at least 1
 * @param envelope signed envelope, not empty; copied on construction and on access
 */
public record DesiredState(long revision, byte[] envelope) implements ControlMessage {

    public DesiredState {
        Require.positive(revision, "revision");
        Require.present(envelope, "envelope");
        if (envelope.length == 0) {
            throw new IllegalArgumentException("envelope is empty");
        }
        envelope = envelope.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    /** Returns the size of the envelope in bytes, without copying it. */
    public int envelopeLength() {
        return envelope.length;
    }

    @Override
    public FrameType type() {
        return FrameType.DESIRED_STATE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DesiredState that && revision == that.revision
                && Arrays.equals(envelope, that.envelope);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(revision) + Arrays.hashCode(envelope);
    }

    @Override
    public String toString() {
        return "DesiredState[revision=" + revision + ", envelope=" + envelope.length + " bytes]";
    }
}
