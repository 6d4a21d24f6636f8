package io.weft.manager.api.internal.resources;

import io.weft.fleet.EffectiveRemoval;

/**
 * A key that an effective profile lacks because a level removed it.
 *
 * @param removedBy    the lowest level that removed the key
 * @param removedValue the value that the key had above that level, or null when it had none
 */
public record EffectiveRemovalDto(String removedBy, EffectiveValueDto removedValue) {

    static EffectiveRemovalDto of(EffectiveRemoval removal) {
        return new EffectiveRemovalDto(removal.removedBy().toString(),
                removal.removedValue().map(EffectiveValueDto::of).orElse(null));
    }
}
