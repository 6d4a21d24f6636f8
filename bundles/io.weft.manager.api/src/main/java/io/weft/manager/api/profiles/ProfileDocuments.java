package io.weft.manager.api.profiles;

import io.weft.fleet.Profile;
import io.weft.manager.api.internal.fleet.ProfileJson;

/**
 * The profile documents that the fleet API writes into {@code io.weft.manager.store.FleetStore},
 * as {@code {"pids": {"<pid>": {"<key>": {"type": "long", "value": 8443}, "<key>": {"remove": true}}}}}.
 */
public final class ProfileDocuments {

    private ProfileDocuments() {
    }

    /**
     * Parses a stored profile document.
     *
     * @throws IllegalStateException when the document is not a valid profile, which only a
     *                               change to the database outside the manager can cause
     * @throws java.io.UncheckedIOException when the document is not JSON
     */
    public static Profile read(String json) {
        return ProfileJson.read(json);
    }
}
