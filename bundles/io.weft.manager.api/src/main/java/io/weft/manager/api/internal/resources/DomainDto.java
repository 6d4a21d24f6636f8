package io.weft.manager.api.internal.resources;

import io.weft.manager.store.Domain;

/**
 * A domain as the API returns it. Times are ISO-8601 instants in UTC.
 *
 * @param name        the DNS name, the domain's identity
 * @param description free text for operators, empty when not set
 * @param version     incremented by every change; the ETag carries it
 * @param createdAt   time of creation
 * @param updatedAt   time of the last change
 */
public record DomainDto(String name, String description, long version, String createdAt, String updatedAt) {

    public static DomainDto of(Domain domain) {
        return new DomainDto(domain.name(), domain.description(), domain.version(), domain.createdAt().toString(),
                domain.updatedAt().toString());
    }
}
