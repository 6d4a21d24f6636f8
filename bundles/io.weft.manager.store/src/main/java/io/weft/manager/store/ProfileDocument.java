package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A profile as the store keeps it: a JSON document whose structure the store does not
 * interpret.
 *
 * @param owner the domain or node the profile is attached to
 * @param json the document, stored and returned verbatim
 * @param version incremented by every change; updates and deletes name the version they expect
 * @param updatedAt time of the last change
 */
public record ProfileDocument(ProfileOwner owner, String json, long version, Instant updatedAt) {

    public ProfileDocument {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
