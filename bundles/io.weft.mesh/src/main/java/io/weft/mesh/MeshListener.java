package io.weft.mesh;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the tunnels of a {@link MeshEndpoint} and the streams their peers open. Calls for
 * one tunnel come one at a time, in the same order as the events of its streams.
 */
@ConsumerType
public interface MeshListener {

    /** Reports a tunnel whose TLS handshake and peer checks have completed, before any stream opens. */
    default void tunnelOpened(MeshTunnel tunnel) {
    }

    /**
     * Decides on a stream that the peer opened.
     *
     * @return the handler of the stream's events, or null to reject the stream. Reset it first
     *     with the reason, for example {@link ErrorCode#NOT_ALLOWED}. A stream rejected with
     *     null alone is reset with {@link ErrorCode#REFUSED_STREAM}.
     */
    MeshStreamHandler streamOpened(MeshStream stream);

    /** Reports that a tunnel closed, after the {@link MeshStreamHandler#onClosed} of each of its streams. */
    default void tunnelClosed(MeshTunnel tunnel) {
    }
}
