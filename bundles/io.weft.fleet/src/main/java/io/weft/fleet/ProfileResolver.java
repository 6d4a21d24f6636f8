package io.weft.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Computes effective profiles. Levels apply from the root domain down to the node: each level
 * overrides the levels above it key by key, and an explicit removal drops an inherited key
 * until a lower level sets it again. A key may change its type between levels, because the
 * lowest level that sets the key wins with its whole value.
 *
 * <p>Resolution takes time linear in the number of entries of all levels. It copies no
 * profile and creates one {@link EffectiveValue} for each entry that sets a value.
 */
public final class ProfileResolver {

    private ProfileResolver() {
    }

    /**
     * Computes the effective profile at the end of {@code levels}.
     *
     * @param levels ordered from the root: domains, each strictly within the one before, then
     *               at most one node, in or below the last domain. Domains without a profile
     *               may be left out. An empty list gives an empty profile.
     * @throws IllegalArgumentException when the levels are not in that order
     */
    public static EffectiveProfile resolve(List<ProfileLevel> levels) {
        requireRootToNodeOrder(levels);

        Resolution resolution = new Resolution();
        for (ProfileLevel level : levels) {
            resolution.apply(level);
        }
        return resolution.finish();
    }

    /**
     * Returns the levels of a node: every domain from the top of the tree down to the node's
     * domain that has an entry in {@code domainProfiles}, then the node.
     *
     * @param domainProfiles the profile of each domain of the fleet; a domain without an entry
     *                       is skipped
     */
    public static List<ProfileLevel> levelsOf(
            NodeFullName node, Map<DomainName, Profile> domainProfiles, Profile nodeProfile) {
        List<ProfileLevel> levels = levelsOf(node.domain(), domainProfiles);
        levels.add(ProfileLevel.node(node, nodeProfile));
        return levels;
    }

    /**
     * Returns the levels of a domain: the domain and every domain above it that has an entry in
     * {@code domainProfiles}, ordered from the top. The list is new and modifiable.
     */
    public static List<ProfileLevel> levelsOf(DomainName domain, Map<DomainName, Profile> domainProfiles) {
        List<ProfileLevel> levels = new ArrayList<>(domain.depth() + 1);
        DomainName current = domain;
        while (current != null) {
            Profile profile = domainProfiles.get(current);
            if (profile != null) {
                levels.add(ProfileLevel.domain(current, profile));
            }
            current = current.parent().orElse(null);
        }

        Collections.reverse(levels);
        return levels;
    }

    private static void requireRootToNodeOrder(List<ProfileLevel> levels) {
        ProfileOwner previous = null;
        for (ProfileLevel level : levels) {
            ProfileOwner owner = Objects.requireNonNull(level, "level").owner();
            if (previous != null && !canFollow(previous, owner)) {
                throw new IllegalArgumentException("Profile levels must run from the root domain down to"
                        + " at most one node, but " + owner + " follows " + previous + ". Order the levels"
                        + " root first, each within the one before, and leave out levels of other branches.");
            }
            previous = owner;
        }
    }

    private static boolean canFollow(ProfileOwner previous, ProfileOwner next) {
        if (previous.kind() == ProfileOwner.Kind.NODE || !next.domain().isWithin(previous.domain())) {
            return false;
        }
        return next.kind() == ProfileOwner.Kind.NODE || next.domain().depth() > previous.domain().depth();
    }

    /** Accumulator of one resolution. It owns the maps until {@link #finish()} hands them over. */
    private static final class Resolution {

        private final Map<String, Map<String, EffectiveValue>> values = new LinkedHashMap<>();
        private final Map<String, Map<String, EffectiveRemoval>> removals = new LinkedHashMap<>();

        void apply(ProfileLevel level) {
            ProfileOwner owner = level.owner();
            for (Map.Entry<String, SortedMap<String, ProfileEntry>> pid : level.profile().entriesByPid().entrySet()) {
                Map<String, EffectiveValue> pidValues =
                        values.computeIfAbsent(pid.getKey(), any -> new LinkedHashMap<>());
                for (ProfileEntry entry : pid.getValue().values()) {
                    if (entry.isRemoval()) {
                        remove(pid.getKey(), pidValues, entry, owner);
                    } else {
                        set(pid.getKey(), pidValues, entry, owner);
                    }
                }
            }
        }

        private void set(String pid, Map<String, EffectiveValue> pidValues, ProfileEntry entry, ProfileOwner owner) {
            pidValues.put(entry.foldedKey(), new EffectiveValue(entry.key(), entry.valueOrNull(), owner));

            Map<String, EffectiveRemoval> pidRemovals = removals.get(pid);
            if (pidRemovals != null) {
                pidRemovals.remove(entry.foldedKey());
            }
        }

        private void remove(String pid, Map<String, EffectiveValue> pidValues, ProfileEntry entry, ProfileOwner owner) {
            EffectiveValue removed = pidValues.remove(entry.foldedKey());

            Map<String, EffectiveRemoval> pidRemovals = removals.computeIfAbsent(pid, any -> new LinkedHashMap<>());
            EffectiveRemoval removal = new EffectiveRemoval(entry.key(), owner, Optional.ofNullable(removed));
            pidRemovals.put(entry.foldedKey(), removal);
        }

        /** Drops the PIDs left without values or removals and returns the result. */
        EffectiveProfile finish() {
            values.values().removeIf(Map::isEmpty);
            removals.values().removeIf(Map::isEmpty);
            return new EffectiveProfile(values, removals);
        }
    }
}
