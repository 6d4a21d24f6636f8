package io.weft.node.agent.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the node's identity and applied state, registered as an OSGi service (whiteboard).
 * When the agent binds a listener it calls {@link #identityChanged} with the current identity
 * and {@link #stateApplied} with the current state, if it has them, and then after every
 * change. Calls come one at a time from the agent's thread, so a listener must return quickly
 * and hand longer work to its own thread. An exception that a listener throws is logged.
 */
@ConsumerType
public interface NodeStateListener {

    /** Reports a new identity: after enrollment, after a renewed certificate, or when the stored one was loaded. */
    void identityChanged(Identity identity);

    /** Reports a desired state that the agent has verified, applied to Configuration Admin and stored. */
    void stateApplied(AppliedState state);
}
