package io.weft.manager.store;

import java.util.Objects;

/**
 * The domain or node that a profile document is attached to.
 *
 * @param kind whether the owner is a domain or a node
 * @param key the domain's name or the node's id
 */
public record ProfileOwner(Kind kind, String key) {

    /** Kind of entity that owns a profile. */
    public enum Kind {
        DOMAIN,
        NODE
    }

    public ProfileOwner {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public static ProfileOwner domain(String name) {
        return new ProfileOwner(Kind.DOMAIN, name);
    }

    public static ProfileOwner node(String id) {
        return new ProfileOwner(Kind.NODE, id);
    }
}
