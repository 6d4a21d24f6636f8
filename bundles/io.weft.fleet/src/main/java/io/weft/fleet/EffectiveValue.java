package io.weft.fleet;

import java.util.Objects;

/**
 * Value of one key in an {@link EffectiveProfile}, with the level it came from.
 *
 * @param key    the key as the source level spelled it
 * @param value  the value
 * @param source the lowest level that set the key
 */
public record EffectiveValue(String key, ProfileValue value, ProfileOwner source) {

    public EffectiveValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
