package io.weft.node.agent.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Adds reports of node bundles to the status that the node sends to the manager, such as the
 * state of its apps. The agent sends a new status after each change while it is connected,
 * and the latest values with every status after it reconnects.
 */
@ProviderType
public interface StatusExtensions {

    /**
     * Sets the value of one status extension.
     *
     * @param key  the extension's name, such as {@code deployments}
     * @param json the value, a JSON document as text
     */
    void publish(String key, String json);
}
