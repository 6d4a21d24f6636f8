package io.weft.manager.policy.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that learns of every change of the stored policy that this manager
 * commits, so that it can compile the desired state of the affected nodes again.
 *
 * <p>The manager calls every registered listener after the change is committed, on the thread
 * that made the change, so a listener returns quickly and hands long work to its own thread.
 * An exception from a listener is logged and does not undo the change. Changes committed by
 * another manager on the same database are not reported here; compare
 * {@link PolicyCompiler#currentVersion()} to find them.
 */
@ConsumerType
@FunctionalInterface
public interface PolicyListener {

    /**
     * Reports that the stored policy changed.
     *
     * @param version the version of the policy after the change
     */
    void policyChanged(long version);
}
