package io.weft.fleet;

import java.util.Objects;
import java.util.Optional;

/**
 * Explicit removal that leaves a key absent from an {@link EffectiveProfile}, kept so that an
 * operator can see why the key is missing.
 *
 * @param key          the key as the removing level spelled it
 * @param removedBy    the lowest level that removed the key
 * @param removedValue the value that the key had just above {@code removedBy}, or empty when
 *                     no higher level set it, or a higher removal had already dropped it
 */
public record EffectiveRemoval(String key, ProfileOwner removedBy, Optional<EffectiveValue> removedValue) {

    public EffectiveRemoval {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(removedBy, "removedBy");
        Objects.requireNonNull(removedValue, "removedValue");
    }
}
