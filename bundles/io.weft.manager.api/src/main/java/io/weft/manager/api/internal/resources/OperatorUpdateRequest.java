package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.api.internal.access.GrantDto;

/**
 * Body of {@code PUT /operators/{name}}.
 *
 * @param grants   the account's new grants, replacing all others
 * @param disabled true to disable the account, which also rejects its API tokens
 */
public record OperatorUpdateRequest(List<GrantDto> grants, boolean disabled) {
}
