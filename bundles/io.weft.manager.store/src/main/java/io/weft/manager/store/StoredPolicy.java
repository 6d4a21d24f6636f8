package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The fleet's policy document as the store keeps it: JSON text whose structure the store does
 * not interpret.
 *
 * @param json      the document, stored and returned verbatim
 * @param version   1 after the first write, incremented by every later one
 * @param updatedAt time of the last write
 */
public record StoredPolicy(String json, long version, Instant updatedAt) {

    public StoredPolicy {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
