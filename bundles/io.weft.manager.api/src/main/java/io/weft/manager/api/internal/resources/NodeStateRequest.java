package io.weft.manager.api.internal.resources;

/**
 * Body of {@code PUT /nodes/{fullName}/state}.
 *
 * @param state {@code enrolled} or {@code revoked}
 */
public record NodeStateRequest(String state) {
}
