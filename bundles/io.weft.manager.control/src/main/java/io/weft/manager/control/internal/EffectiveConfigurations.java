package io.weft.manager.control.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.weft.fleet.DomainName;
import io.weft.fleet.EffectiveProfile;
import io.weft.fleet.EffectiveValue;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeName;
import io.weft.fleet.Profile;
import io.weft.fleet.ProfileLevel;
import io.weft.fleet.ProfileResolver;
import io.weft.fleet.ProfileValue;
import io.weft.manager.api.profiles.ProfileDocuments;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.ProfileDocument;
import io.weft.manager.store.ProfileOwner;

/**
 * Computes the configurations of nodes' effective profiles: root domain, each domain below it,
 * then the node, key by key, with removals dropping inherited keys.
 *
 * <p>Parsed profiles are cached by owner across compilations, so a document is parsed again
 * only after it changed; the store is still read, because another manager instance may have
 * changed it. Within one {@link Compilation} each domain's profile is
 * read once and each domain chain is resolved once, which every node without a profile of its
 * own then shares.
 */
final class EffectiveConfigurations {

    /** PID to key to value, as {@link io.weft.control.state.DesiredStateDocument} takes it. */
    static final Map<String, Map<String, ProfileValue>> EMPTY = Map.of();

    /** A parsed document with its source, because a deleted and recreated profile starts at version 1 again. */
    private record Parsed(long version, String json, Profile profile) {
    }

    private final FleetStore store;
    private final Map<ProfileOwner, Parsed> parsed = new ConcurrentHashMap<>();

    EffectiveConfigurations(FleetStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Starts a compilation, which reads each domain profile at most once. */
    Compilation start() {
        return new Compilation();
    }

    /** One recompilation's view of the domain profiles. Not thread-safe. */
    final class Compilation {

        private final Map<DomainName, Optional<Profile>> domainProfiles = new HashMap<>();
        private final Map<DomainName, List<ProfileLevel>> chains = new HashMap<>();
        private final Map<DomainName, Map<String, Map<String, ProfileValue>>> domainConfigurations = new HashMap<>();

        /**
         * Returns the node's effective configurations.
         *
         * @throws IllegalStateException when a stored profile document of the chain is invalid
         */
        Map<String, Map<String, ProfileValue>> of(Node node) {
            DomainName domain = DomainName.of(node.domain());
            Optional<Profile> own = profile(ProfileOwner.node(node.id()));
            if (own.isEmpty()) {
                return domainConfigurations.computeIfAbsent(domain, any -> configurations(chain(domain)));
            }

            List<ProfileLevel> levels = new ArrayList<>(chain(domain));
            levels.add(ProfileLevel.node(NodeFullName.of(NodeName.of(node.name()), domain), own.get()));
            return configurations(levels);
        }

        private List<ProfileLevel> chain(DomainName domain) {
            List<ProfileLevel> chain = chains.get(domain);
            if (chain == null) {
                Map<DomainName, Profile> profiles = new HashMap<>();
                for (DomainName current = domain; current != null; current = current.parent().orElse(null)) {
                    Optional<Profile> profile = domainProfile(current);
                    if (profile.isPresent()) {
                        profiles.put(current, profile.get());
                    }
                }
                chain = List.copyOf(ProfileResolver.levelsOf(domain, profiles));
                chains.put(domain, chain);
            }
            return chain;
        }

        private Optional<Profile> domainProfile(DomainName domain) {
            return domainProfiles.computeIfAbsent(domain, any -> profile(ProfileOwner.domain(domain.toString())));
        }
    }

    /** Reads the owner's document and parses it unless the cache contains that version of it. */
    private Optional<Profile> profile(ProfileOwner owner) {
        Optional<ProfileDocument> document = store.findProfile(owner);
        if (document.isEmpty()) {
            parsed.remove(owner);
            return Optional.empty();
        }

        ProfileDocument current = document.get();
        Parsed cached = parsed.get(owner);
        if (cached != null && cached.version() == current.version() && cached.json().equals(current.json())) {
            return Optional.of(cached.profile());
        }
        Profile profile = ProfileDocuments.read(current.json());
        parsed.put(owner, new Parsed(current.version(), current.json(), profile));
        return Optional.of(profile);
    }

    /** Returns the number of parsed profiles in the cache. */
    int cachedProfiles() {
        return parsed.size();
    }

    private static Map<String, Map<String, ProfileValue>> configurations(List<ProfileLevel> levels) {
        EffectiveProfile effective = ProfileResolver.resolve(levels);
        if (effective.isEmpty()) {
            return EMPTY;
        }
        Map<String, Map<String, ProfileValue>> configurations = new LinkedHashMap<>();
        for (String pid : effective.pids()) {
            Map<String, ProfileValue> properties = new LinkedHashMap<>();
            for (EffectiveValue value : effective.values(pid)) {
                properties.put(value.key(), value.value());
            }
            configurations.put(pid, properties);
        }
        return configurations;
    }
}
