package io.weft.manager.api.internal.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import io.weft.fleet.DomainName;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.Grant;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Permissions;
import io.weft.manager.store.Page;

/**
 * Narrows a listing to what the caller may read. A caller with a fleet-wide read grant lists
 * as requested. Any other caller lists the subtrees of its read grants: the requested subtree
 * when a grant covers it, otherwise each readable subtree inside it. The store runs one
 * query per subtree, and {@link #merge} joins their pages in key order.
 *
 * <p>NOTE: the merge orders keys as Java strings, and the store's cursor condition follows the
 * database's collation. Both agree on Derby's default collation for the ASCII names the fleet
 * model allows. A PostgreSQL database whose collation sorts '.' or '-' differently could make
 * a caller with several scopes miss or repeat items across pages.
 *
 * @param subtrees the subtrees to query, or a list with one empty element for a query as requested
 */
record ReadScopes(List<Optional<DomainName>> subtrees) {

    /**
     * Returns the subtrees to query for a listing of {@code requested} (empty for everything).
     *
     * @throws javax.ws.rs.ForbiddenException when the caller may read nothing in the requested subtree
     */
    static ReadScopes of(Caller caller, Optional<DomainName> requested) {
        AccessTarget target = requested.map(AccessTarget::domain).orElse(AccessTarget.fleet());
        if (Permissions.permits(caller, Action.READ, target)) {
            return new ReadScopes(List.of(requested));
        }

        List<Optional<DomainName>> inside = readableRoots(caller).stream()
                .filter(root -> requested.map(root::isWithin).orElse(true))
                .map(Optional::of)
                .toList();
        if (inside.isEmpty()) {
            Permissions.check(caller, Action.READ, target);
        }
        return new ReadScopes(inside);
    }

    /**
     * Joins one page per subtree into one page of at most {@code limit} items in key order. The
     * subtrees do not overlap, so no item appears twice. The next cursor is the last key when
     * any subtree has more items than the page shows.
     */
    <T> Page<T> merge(Function<Optional<DomainName>, Page<T>> query, Function<T, String> key, int limit) {
        if (subtrees.size() == 1) {
            return query.apply(subtrees.get(0));
        }
        TreeMap<String, T> items = new TreeMap<>();
        boolean more = false;
        for (Optional<DomainName> subtree : subtrees) {
            Page<T> page = query.apply(subtree);
            page.items().forEach(item -> items.put(key.apply(item), item));
            more |= page.nextCursor().isPresent();
        }
        more |= items.size() > limit;
        List<T> first = new ArrayList<>(items.values()).subList(0, Math.min(limit, items.size()));
        Optional<String> next = more && !first.isEmpty() ? Optional.of(key.apply(first.get(first.size() - 1)))
                : Optional.empty();
        return new Page<>(first, next);
    }

    /** Returns the scopes of the caller's read grants, without those inside another one. */
    private static List<DomainName> readableRoots(Caller caller) {
        List<DomainName> scopes = caller.principal().grants().stream()
                .filter(grant -> grant.role().allows(Action.READ))
                .map(Grant::scope)
                .flatMap(Optional::stream)
                .distinct()
                .sorted(Comparator.comparingInt(DomainName::depth))
                .toList();
        List<DomainName> roots = new ArrayList<>();
        for (DomainName scope : scopes) {
            if (roots.stream().noneMatch(scope::isWithin)) {
                roots.add(scope);
            }
        }
        return roots;
    }
}
