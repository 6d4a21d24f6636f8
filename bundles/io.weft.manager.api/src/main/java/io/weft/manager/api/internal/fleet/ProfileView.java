package io.weft.manager.api.internal.fleet;

import java.time.Instant;
import java.util.Objects;

import io.weft.fleet.Profile;
import io.weft.fleet.ProfileOwner;

/**
 * A stored profile, read back as the fleet model's typed entries.
 *
 * @param owner     the domain or node the profile is attached to
 * @param profile   the entries
 * @param version   incremented by every change, the resource's ETag
 * @param updatedAt time of the last change
 */
public record ProfileView(ProfileOwner owner, Profile profile, long version, Instant updatedAt) {

    public ProfileView {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
