package io.weft.control;

/**
 * A message of the control protocol. Each implementation is an immutable record that checks
 * its fields on construction and travels in a frame of its {@link #type()}.
 */
public sealed interface ControlMessage
        permits Hello, HelloAck, Heartbeat, HeartbeatAck, Status, DesiredState, StateAck, RenewRequest,
        RenewResponse, ErrorMessage, ArtifactRequest, ArtifactChunk, FlowRecords, FlowAck {

    FrameType type();
}
