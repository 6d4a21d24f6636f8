package io.weft.manager.api.internal.fleet;

import java.util.List;

/**
 * Filters and page of a node listing as query parameters carry them, before validation. Null
 * stands for an absent parameter.
 *
 * @param domain only nodes in this domain or its subdomains
 * @param tags   tags that a node must all carry
 * @param role   only nodes with this role
 * @param state  only nodes in this state
 * @param cursor the nextCursor of the previous page
 * @param limit  the page size, 1 to 1000
 */
public record NodeFilter(String domain, List<String> tags, String role, String state, String cursor, String limit) {
}
