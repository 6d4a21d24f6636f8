package io.weft.fleet;

import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException.Rule;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Configuration attached to one domain or node: for each configuration PID, keys that either
 * set a {@link ProfileValue} or explicitly remove the value inherited from higher levels.
 *
 * <p>A profile is immutable. PIDs are case-sensitive. Keys match ignoring case, as in
 * Configuration Admin, and keep the spelling they were written with. PIDs and keys are
 * iterated in sorted order, keys ignoring case. The rules for PIDs and keys are those of
 * {@link ProfileNames}.
 */
public final class Profile {

    private static final Profile EMPTY = new Profile(new TreeMap<>());

    /** PID, then folded key, to entry. No inner map is empty, and none changes after construction. */
    private final SortedMap<String, SortedMap<String, ProfileEntry>> entriesByPid;

    private final int size;

    private Profile(SortedMap<String, SortedMap<String, ProfileEntry>> entriesByPid) {
        this.entriesByPid = entriesByPid;
        this.size = entriesByPid.values().stream().mapToInt(Map::size).sum();
    }

    public static Profile empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return entriesByPid.isEmpty();
    }

    /** Returns the number of entries, removals included, over all PIDs. */
    public int size() {
        return size;
    }

    /** Returns the PIDs that have at least one entry, sorted. */
    public Set<String> pids() {
        return Collections.unmodifiableSet(entriesByPid.keySet());
    }

    /** Returns the entries of {@code pid} sorted by key ignoring case, or none for an unknown PID. */
    public Collection<ProfileEntry> entries(String pid) {
        SortedMap<String, ProfileEntry> entries = entriesByPid.get(pid);
        return entries == null ? Collections.emptyList() : Collections.unmodifiableCollection(entries.values());
    }

    /** Returns the entry of {@code key} under {@code pid}, matching the key ignoring case. */
    public Optional<ProfileEntry> entry(String pid, String key) {
        SortedMap<String, ProfileEntry> entries = entriesByPid.get(pid);
        return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(ProfileEntry.foldKey(key)));
    }

    /**
     * Returns a copy in which {@code key} under {@code pid} has {@code value}. The copy replaces
     * any entry for the key, including one spelled in another case or a removal.
     *
     * @throws InvalidFleetInputException when the PID or the key is invalid
     */
    public Profile with(String pid, String key, ProfileValue value) {
        ProfileEntry entry = ProfileEntry.set(ProfileNames.requireValidKey(key), value);
        return withEntry(ProfileNames.requireValidPid(pid), entry);
    }

    /**
     * Returns a copy in which {@code key} under {@code pid} is explicitly removed, so that lower
     * levels no longer inherit it. The copy replaces any entry for the key.
     *
     * @throws InvalidFleetInputException when the PID or the key is invalid
     */
    public Profile withRemoval(String pid, String key) {
        ProfileEntry entry = ProfileEntry.removal(ProfileNames.requireValidKey(key));
        return withEntry(ProfileNames.requireValidPid(pid), entry);
    }

    /**
     * Returns a copy without the entry of {@code key} under {@code pid}, matching the key
     * ignoring case, so that the key is inherited again. Returns this profile when there is no
     * such entry.
     */
    public Profile without(String pid, String key) {
        SortedMap<String, ProfileEntry> entries = entriesByPid.get(pid);
        String foldedKey = ProfileEntry.foldKey(key);
        if (entries == null || !entries.containsKey(foldedKey)) {
            return this;
        }

        SortedMap<String, SortedMap<String, ProfileEntry>> copy = new TreeMap<>(entriesByPid);
        SortedMap<String, ProfileEntry> remaining = new TreeMap<>(entries);
        remaining.remove(foldedKey);
        if (remaining.isEmpty()) {
            copy.remove(pid);
        } else {
            copy.put(pid, remaining);
        }
        return new Profile(copy);
    }

    /** Copies only the outer map and the changed PID's entries. Other PIDs share their maps with this profile. */
    private Profile withEntry(String pid, ProfileEntry entry) {
        SortedMap<String, SortedMap<String, ProfileEntry>> copy = new TreeMap<>(entriesByPid);
        SortedMap<String, ProfileEntry> existing = entriesByPid.get(pid);
        SortedMap<String, ProfileEntry> entries = existing == null ? new TreeMap<>() : new TreeMap<>(existing);
        entries.put(entry.foldedKey(), entry);
        copy.put(pid, entries);
        return new Profile(copy);
    }

    /** Returns the entries by PID and folded key, for the resolver, which only reads them. */
    Map<String, SortedMap<String, ProfileEntry>> entriesByPid() {
        return entriesByPid;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Profile && ((Profile) other).entriesByPid.equals(entriesByPid);
    }

    @Override
    public int hashCode() {
        return entriesByPid.hashCode();
    }

    /** Returns the entries grouped by PID, such as {@code {io.weft.mesh=[port=8443, host removed]}}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, SortedMap<String, ProfileEntry>> pid : entriesByPid.entrySet()) {
            text.append(text.length() == 1 ? "" : ", ");
            text.append(pid.getKey()).append('=').append(pid.getValue().values());
        }
        return text.append('}').toString();
    }

    /**
     * Collects the entries of a new profile. Unlike {@link Profile#with}, a builder rejects a
     * second entry for the same key under one PID, even in another case, because such input
     * has no single meaning.
     */
    public static final class Builder {

        private final SortedMap<String, SortedMap<String, ProfileEntry>> entriesByPid = new TreeMap<>();

        private Builder() {
        }

        /**
         * Sets {@code key} under {@code pid} to {@code value}.
         *
         * @throws InvalidFleetInputException when the PID or key is invalid, or the key already
         *                                    has an entry under this PID
         */
        public Builder set(String pid, String key, ProfileValue value) {
            ProfileEntry entry = ProfileEntry.set(ProfileNames.requireValidKey(key), value);
            return add(ProfileNames.requireValidPid(pid), entry);
        }

        /**
         * Adds an explicit removal of {@code key} under {@code pid}, so that the key's inherited
         * value reaches neither this level nor the levels below it.
         *
         * @throws InvalidFleetInputException when the PID or key is invalid, or the key already
         *                                    has an entry under this PID
         */
        public Builder remove(String pid, String key) {
            ProfileEntry entry = ProfileEntry.removal(ProfileNames.requireValidKey(key));
            return add(ProfileNames.requireValidPid(pid), entry);
        }

        /** Returns a profile of the entries added so far. The builder stays usable. */
        public Profile build() {
            SortedMap<String, SortedMap<String, ProfileEntry>> copy = new TreeMap<>();
            entriesByPid.forEach((pid, entries) -> copy.put(pid, new TreeMap<>(entries)));
            return new Profile(copy);
        }

        private Builder add(String pid, ProfileEntry entry) {
            SortedMap<String, ProfileEntry> entries = entriesByPid.computeIfAbsent(pid, any -> new TreeMap<>());
            ProfileEntry previous = entries.putIfAbsent(entry.foldedKey(), entry);
            if (previous != null) {
                throw duplicate(pid, entry, previous);
            }
            return this;
        }

        private static InvalidFleetInputException duplicate(String pid, ProfileEntry entry, ProfileEntry previous) {
            String sameKey = previous.key().equals(entry.key())
                    ? "the profile already has an entry for it"
                    : "the profile already has " + quote(previous.key()) + ", and Configuration Admin treats"
                            + " keys that differ only in case as the same key";
            return new InvalidFleetInputException("key", Rule.DUPLICATE, "Duplicate key " + quote(entry.key())
                    + " under PID " + quote(pid) + ": " + sameKey + ". Keep one entry for the key.");
        }
    }
}
