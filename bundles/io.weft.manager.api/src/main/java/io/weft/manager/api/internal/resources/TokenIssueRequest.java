package io.weft.manager.api.internal.resources;

/**
 * Body of {@code POST /tokens}.
 *
 * @param owner     the operator whose grants the token carries, or null for the caller
 * @param expiresAt when the token expires, an ISO-8601 instant at most 365 days ahead
 */
public record TokenIssueRequest(String owner, String expiresAt) {
}
