package io.weft.manager.api.internal.resources;

/**
 * Body of {@code POST /domains}.
 *
 * @param name        the DNS name of the new domain
 * @param description free text for operators, optional
 */
public record DomainCreateRequest(String name, String description) {
}
