package io.weft.manager.api.internal.resources;

import java.util.LinkedHashMap;
import java.util.Map;

import io.weft.fleet.EffectiveProfile;
import io.weft.fleet.EffectiveRemoval;
import io.weft.fleet.EffectiveValue;
import io.weft.manager.api.internal.fleet.ProfileService;

/**
 * The configuration that applies to a domain or node after inheritance, with the level that
 * each value came from, and the keys that a removal leaves absent.
 *
 * @param owner    {@code domain:<name>} or {@code node:<fullName>}
 * @param pids     values by PID and key, keys spelled as their source level wrote them
 * @param removals removed keys by PID and key
 */
public record EffectiveProfileDto(String owner, Map<String, Map<String, EffectiveValueDto>> pids,
        Map<String, Map<String, EffectiveRemovalDto>> removals) {

    static EffectiveProfileDto of(ProfileService.Effective effective) {
        EffectiveProfile profile = effective.profile();
        Map<String, Map<String, EffectiveValueDto>> pids = new LinkedHashMap<>();
        for (String pid : profile.pids()) {
            Map<String, EffectiveValueDto> values = pids.computeIfAbsent(pid, any -> new LinkedHashMap<>());
            for (EffectiveValue value : profile.values(pid)) {
                values.put(value.key(), EffectiveValueDto.of(value));
            }
        }

        Map<String, Map<String, EffectiveRemovalDto>> removals = new LinkedHashMap<>();
        for (String pid : profile.pidsWithRemovals()) {
            Map<String, EffectiveRemovalDto> removed = removals.computeIfAbsent(pid, any -> new LinkedHashMap<>());
            for (EffectiveRemoval removal : profile.removals(pid)) {
                removed.put(removal.key(), EffectiveRemovalDto.of(removal));
            }
        }
        return new EffectiveProfileDto(effective.owner().toString(), pids, removals);
    }
}
