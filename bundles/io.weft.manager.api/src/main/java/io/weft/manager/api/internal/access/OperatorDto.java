package io.weft.manager.api.internal.access;

import java.util.Comparator;
import java.util.List;

import io.weft.manager.store.Operator;

/**
 * An operator account as the API returns it and the audit log records it: everything but the
 * password hash. Times are ISO-8601 instants in UTC.
 *
 * @param name      the user name, in lower case
 * @param grants    the account's grants, fleet-wide ones first, then by scope and role
 * @param disabled  true when the account may not log in and its API tokens are rejected
 * @param version   incremented by every change; the ETag carries it
 * @param createdAt time of creation
 * @param updatedAt time of the last change
 */
public record OperatorDto(String name, List<GrantDto> grants, boolean disabled, long version, String createdAt,
        String updatedAt) {

    private static final Comparator<GrantDto> ORDER = Comparator
            .comparing(GrantDto::scope, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(GrantDto::role);

    public static OperatorDto of(Operator operator) {
        List<GrantDto> grants = operator.grants().stream().map(GrantDto::of).sorted(ORDER).toList();
        return new OperatorDto(operator.name(), grants, operator.disabled(), operator.version(),
                operator.createdAt().toString(), operator.updatedAt().toString());
    }
}
