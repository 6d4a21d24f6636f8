package io.weft.node.agent.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The node's identity and applied desired state, as the node agent has them now. Thread-safe. */
@ProviderType
public interface NodeState {

    /** Returns the identity, empty before the node enrolled or while its stored identity cannot be read. */
    Optional<Identity> identity();

    /** Returns the applied desired state, {@link AppliedState#NONE} before the first. */
    AppliedState appliedState();
}
