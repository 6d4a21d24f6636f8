package io.weft.manager.api.internal.resources;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.fleet.EffectiveValue;
import io.weft.manager.api.internal.fleet.ProfileJson;

/**
 * One effective value with the level it came from.
 *
 * @param type   the value type, such as {@code long}
 * @param value  the value
 * @param source the lowest level that set it: {@code domain:<name>} or {@code node:<fullName>}
 */
public record EffectiveValueDto(String type, JsonNode value, String source) {

    static EffectiveValueDto of(EffectiveValue value) {
        ProfileJson.Entry entry = ProfileJson.toEntry(value.value());
        return new EffectiveValueDto(entry.type(), entry.value(), value.source().toString());
    }
}
