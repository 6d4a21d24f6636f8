package io.weft.manager.api.events;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that the fleet API calls after a change made through the API has
 * committed, such as a profile update or a node deletion.
 *
 * <p>The call runs on the thread of the API request, after the transaction and before the
 * response, so an implementation must return quickly and do its work elsewhere. An exception
 * that it throws is logged and neither fails the request nor stops other listeners.
 */
@ConsumerType
public interface FleetChangeListener {

    void changed(FleetChange change);
}
