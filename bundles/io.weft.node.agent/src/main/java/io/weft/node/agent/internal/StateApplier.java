package io.weft.node.agent.internal;

import io.weft.control.state.DesiredStateDocument;
import java.io.IOException;

/** Makes the node match a verified desired state. Applying the same document twice changes nothing. */
interface StateApplier {

    /**
     * Applies {@code document}.
     *
     * @throws IOException when the configuration store fails; the caller reports the revision
     *     as rejected and a later delivery applies it again
     */
    ApplyResult apply(DesiredStateDocument document) throws IOException;
}
