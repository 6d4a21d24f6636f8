package io.weft.manager.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list query.
 *
 * @param items the entries of this page, in the query's order
 * @param nextCursor the cursor that fetches the next page, empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
