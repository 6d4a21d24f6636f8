package io.weft.manager.api.internal.resources;

import java.util.Map;

import io.weft.manager.api.internal.fleet.ProfileJson;
import io.weft.manager.api.internal.fleet.ProfileView;

/**
 * The profile attached to one domain or node, in the JSON form of {@link ProfileJson}.
 *
 * @param owner     {@code domain:<name>} or {@code node:<fullName>}
 * @param version   incremented by every change; the ETag carries it
 * @param updatedAt time of the last change, an ISO-8601 instant in UTC
 * @param pids      entries by PID and key: a typed value, or a removal of the inherited value
 */
public record ProfileDto(String owner, long version, String updatedAt, Map<String, Map<String, ProfileJson.Entry>> pids) {

    static ProfileDto of(ProfileView view) {
        return new ProfileDto(view.owner().toString(), view.version(), view.updatedAt().toString(),
                ProfileJson.toDocument(view.profile()).pids());
    }
}
