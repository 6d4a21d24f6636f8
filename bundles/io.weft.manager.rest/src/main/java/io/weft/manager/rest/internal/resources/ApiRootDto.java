package io.weft.manager.rest.internal.resources;

import java.util.Map;

/**
 * Body of {@code GET /api/v1}.
 *
 * @param name        the API's name
 * @param apiVersion  the API version in the base path, such as {@code v1}
 * @param weftVersion the Weft release that the manager runs
 * @param links       the paths that the OpenAPI document describes, by relation name
 */
public record ApiRootDto(String name, String apiVersion, String weftVersion, Map<String, String> links) {

    public ApiRootDto {
        links = Map.copyOf(links);
    }
}
