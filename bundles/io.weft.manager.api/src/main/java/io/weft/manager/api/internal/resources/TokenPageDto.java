package io.weft.manager.api.internal.resources;

import java.util.List;

import io.weft.manager.api.internal.access.TokenDto;

/**
 * The API tokens of one operator, revoked and expired ones included, by creation time.
 *
 * @param items the tokens
 */
public record TokenPageDto(List<TokenDto> items) {
}
