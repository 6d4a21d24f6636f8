package io.weft.manager.apps.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that learns when the apps that nodes must run change: a deployment was
 * created, changed or deleted, a canary stage completed, or a rollout halted.
 *
 * <p>Called after the change is committed, on the thread that made it, so a listener returns
 * quickly. An exception from a listener is logged and does not undo the change.
 */
@ConsumerType
@FunctionalInterface
public interface DeploymentListener {

    /** Reports that the apps of some nodes changed. */
    void deploymentsChanged();
}
