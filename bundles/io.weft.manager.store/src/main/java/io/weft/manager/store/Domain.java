package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored domain.
 *
 * @param name DNS name of the domain, its identity (for example {@code east.acme.example})
 * @param description free text for operators, empty when not set
 * @param version incremented by every change; updates and deletes name the version they expect
 * @param createdAt time the domain was created
 * @param updatedAt time of the last change
 */
public record Domain(String name, String description, long version, Instant createdAt, Instant updatedAt) {

    public Domain {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
