package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.api.internal.access.GrantDto;

/**
 * Body of {@code POST /operators}.
 *
 * @param name     the user name; stored in lower case
 * @param password the initial password, which must satisfy the password policy
 * @param grants   the account's grants, each within the caller's admin grants
 */
public record OperatorCreateRequest(String name, String password, List<GrantDto> grants) {

    /** Describes the request without its password. */
    @Override
    public String toString() {
        return "OperatorCreateRequest[name=" + name + ", grants=" + grants + "]";
    }
}
