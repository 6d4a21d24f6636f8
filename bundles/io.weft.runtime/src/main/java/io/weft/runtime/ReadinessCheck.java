package io.weft.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Service through which a bundle adds its own conditions to the readiness report.
 *
 * <p>Component states cannot show everything: a whiteboard may still be picking up services
 * that are registered already. A bundle registers a check for such a condition, and the
 * process is not ready while any check returns a problem.
 */
@ConsumerType
public interface ReadinessCheck {

    /**
     * Returns one line for each reason this part of the process is not ready yet, or an empty
     * list when it is. Called on every readiness evaluation, so it must be quick.
     */
    List<String> problems();
}
