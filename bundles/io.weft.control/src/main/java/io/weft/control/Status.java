package io.weft.control;

import java.util.Map;

/**
 * Report of a node's state to the manager.
 *
 * @param weftVersion Weft release of the node
 * @param uptimeMillis time since the node started, in milliseconds
 * @param appliedRevision revision of the desired state that the node applied last, 0 when it
 *     has applied none
 * @param extensions further values by name, for reports that later parts of Weft add; a
 *     structured value travels as JSON text. Copied and unmodifiable.
 */
public record Status(String weftVersion, long uptimeMillis, long appliedRevision, Map<String, String> extensions)
        implements ControlMessage {

    public Status {
        Require.text(weftVersion, "weftVersion");
        Require.notNegative(uptimeMillis, "uptimeMillis");
        Require.notNegative(appliedRevision, "appliedRevision");
        Require.present(extensions, "extensions");
        try {
            extensions = Map.copyOf(extensions);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("extensions must not contain null keys or values", e);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.STATUS;
    }
}
