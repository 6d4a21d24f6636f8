package io.weft.policy.internal;

import io.weft.fleet.DomainName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chains of a domain and its DNS ancestors, deepest first, such as
 * {@code [plant1.east.acme.example, east.acme.example, acme.example, example]}. Chains are kept
 * so that repeated decisions neither split names again nor hash new strings.
 */
public final class DomainChains {

    /**
     * Maximum number of kept chains. A fleet has far fewer domains. Beyond the limit chains are
     * built on every call, which is slower but gives the same result.
     */
    static final int MAX_KEPT = 100_000;

    private final ConcurrentHashMap<DomainName, DomainName[]> kept = new ConcurrentHashMap<>();

    /** Returns the domain and its ancestors, deepest first. Callers must not modify the array. */
    public DomainName[] chainOf(DomainName domain) {
        DomainName[] chain = kept.get(domain);
        if (chain != null) {
            return chain;
        }
        chain = build(domain);
        if (kept.size() < MAX_KEPT) {
            kept.putIfAbsent(domain, chain);
        }
        return chain;
    }

    /** Returns the domain and its ancestors, deepest first, in a new array. */
    public static DomainName[] build(DomainName domain) {
        List<DomainName> chain = new ArrayList<>(domain.depth());
        for (Optional<DomainName> level = Optional.of(domain); level.isPresent(); level = level.get().parent()) {
            chain.add(level.get());
        }
        return chain.toArray(DomainName[]::new);
    }
}
