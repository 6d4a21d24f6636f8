package io.weft.fleet;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration that applies at the end of a chain of {@link ProfileLevel}s, as computed by
 * {@link ProfileResolver}: for each PID, each key's value and the level it came from.
 *
 * <p>A key that a level removed and no lower level set again is absent from the values and
 * listed among the removals instead, with the level that removed it. A PID whose keys were
 * all removed is absent from {@link #pids()}. Keys match ignoring case.
 *
 * <p>PIDs and keys are iterated in the order in which they first appear, walking the levels
 * from the root. Within one level that is the sorted order of its {@link Profile}, so the same
 * levels always give the same order.
 */
public final class EffectiveProfile {

    /** PID, then folded key, to value. No inner map is empty. */
    private final Map<String, Map<String, EffectiveValue>> values;

    /** PID, then folded key, to the removal that leaves the key absent. No inner map is empty. */
    private final Map<String, Map<String, EffectiveRemoval>> removals;

    /** Takes over both maps, which the caller must not change afterwards. */
    EffectiveProfile(
            Map<String, Map<String, EffectiveValue>> values, Map<String, Map<String, EffectiveRemoval>> removals) {
        this.values = values;
        this.removals = removals;
    }

    /** Returns the PIDs that have at least one value. */
    public Set<String> pids() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** Returns the values of {@code pid}, or none for a PID without values. */
    public Collection<EffectiveValue> values(String pid) {
        Map<String, EffectiveValue> pidValues = values.get(pid);
        return pidValues == null ? Collections.emptyList() : Collections.unmodifiableCollection(pidValues.values());
    }

    /** Returns the value of {@code key} under {@code pid}, matching the key ignoring case. */
    public Optional<EffectiveValue> value(String pid, String key) {
        Map<String, EffectiveValue> pidValues = values.get(pid);
        return pidValues == null ? Optional.empty() : Optional.ofNullable(pidValues.get(ProfileEntry.foldKey(key)));
    }

    /**
     * Returns the properties of {@code pid} as Configuration Admin takes them, each key spelled
     * as its source level wrote it and each value as {@link ProfileValue#toConfigurationValue()}
     * returns it. The map is new and empty for a PID without values.
     */
    public Map<String, Object> configurationProperties(String pid) {
        Collection<EffectiveValue> pidValues = values(pid);
        Map<String, Object> properties = new LinkedHashMap<>(pidValues.size() * 2);
        for (EffectiveValue value : pidValues) {
            properties.put(value.key(), value.value().toConfigurationValue());
        }
        return properties;
    }

    /** Returns the PIDs that have at least one key absent because of a removal. */
    public Set<String> pidsWithRemovals() {
        return Collections.unmodifiableSet(removals.keySet());
    }

    /** Returns the removals that leave keys of {@code pid} absent. */
    public Collection<EffectiveRemoval> removals(String pid) {
        Map<String, EffectiveRemoval> pidRemovals = removals.get(pid);
        return pidRemovals == null ? Collections.emptyList() : Collections.unmodifiableCollection(pidRemovals.values());
    }

    /** Returns the removal that leaves {@code key} of {@code pid} absent, matching the key ignoring case. */
    public Optional<EffectiveRemoval> removal(String pid, String key) {
        Map<String, EffectiveRemoval> pidRemovals = removals.get(pid);
        return pidRemovals == null ? Optional.empty() : Optional.ofNullable(pidRemovals.get(ProfileEntry.foldKey(key)));
    }

    /** Returns true when no PID has a value. Removals may still be listed. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Returns true when both profiles have the same values, sources and removals. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof EffectiveProfile)) {
            return false;
        }
        EffectiveProfile that = (EffectiveProfile) other;
        return values.equals(that.values) && removals.equals(that.removals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, removals);
    }

    @Override
    public String toString() {
        return "EffectiveProfile[values=" + values + ", removals=" + removals + "]";
    }
}
