package io.weft.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Service that evaluates whether this Weft process is ready to serve.
 *
 * <p>A process is ready when Karaf has installed its boot features, every {@code io.weft.*}
 * bundle is active and every enabled Declarative Services component of those bundles is
 * satisfied or active.
 */
@ProviderType
public interface Readiness {

    /** Evaluates the current state; each call reads the framework afresh. */
    ReadinessReport evaluate();
}
