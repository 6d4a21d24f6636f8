package io.weft.manager.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ApiRootResourceTest {

    @Test
    void rootNamesApiAndWeftVersions() {
        ApiRootDto root = new ApiRootResource("1.2.3").root();

        assertThat(root.name()).isEqualTo("Weft manager API");
        assertThat(root.apiVersion()).isEqualTo("v1");
        assertThat(root.weftVersion()).isEqualTo("1.2.3");
    }

    @Test
    void missingVersionHeaderIsUnknown() {
        assertThat(new ApiRootResource((String) null).root().weftVersion()).isEqualTo("unknown");
    }

    @Test
    void linksPointAtDocumentedPaths() throws IOException {
        JsonNode paths = new ObjectMapper().readTree(OpenApiResource.readDocument()).path("paths");

        ApiRootDto root = new ApiRootResource("1.2.3").root();

        assertThat(root.links()).containsOnlyKeys("self", "openapi");
        root.links().values().forEach(link -> {
            assertThat(link).as("link").startsWith("/api/v1");
            String relative = OpenApiDocumentTest.normalize(link.substring("/api/v1".length()));
            assertThat(paths.has(relative)).as("openapi.json documents %s", relative).isTrue();
        });
    }
}
