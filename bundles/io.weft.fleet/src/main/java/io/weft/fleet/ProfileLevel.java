package io.weft.fleet;

import java.util.Objects;

/**
 * One level of a node's profile inheritance: the profile of a domain or of the node itself.
 *
 * @param owner   the domain or node the profile is attached to
 * @param profile the entries at this level, possibly empty
 */
public record ProfileLevel(ProfileOwner owner, Profile profile) {

    public ProfileLevel {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(profile, "profile");
    }

    public static ProfileLevel domain(DomainName domain, Profile profile) {
        return new ProfileLevel(ProfileOwner.domain(domain), profile);
    }

    public static ProfileLevel node(NodeFullName node, Profile profile) {
        return new ProfileLevel(ProfileOwner.node(node), profile);
    }
}
