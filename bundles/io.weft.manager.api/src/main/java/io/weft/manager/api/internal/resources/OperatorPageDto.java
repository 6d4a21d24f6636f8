package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.api.internal.access.OperatorDto;

/**
 * The operator accounts that the caller may see: its own and those it may manage, by name.
 *
 * @param items the accounts
 */
public record OperatorPageDto(List<OperatorDto> items) {
}
