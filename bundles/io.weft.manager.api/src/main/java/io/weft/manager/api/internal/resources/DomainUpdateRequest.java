package io.weft.manager.api.internal.resources;

/**
 * Body of {@code PUT /domains/{domain}}: the fields an operator may change. A domain's name
 * never changes.
 *
 * @param description free text for operators; absent or null clears it
 */
public record DomainUpdateRequest(String description) {
}
