package io.weft.manager.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class RequestBodyTypesTest {

    private static final String DOCUMENT = """
            {"paths": {
              "/policies/{id}": {"put": {"requestBody": {"content": {"application/json": {}}}}},
              "/policies/rules": {"put": {"requestBody": {"content": {"text/csv": {}}}},
                                  "get": {}},
              "/apps/{name}/versions": {"post": {"requestBody": {"content": {
                  "application/java-archive": {}, "application/octet-stream": {}}}}}
            }}""";

    @Test
    void parameterMatchesOneSegment() throws Exception {
        RequestBodyTypes types = new RequestBodyTypes(new ObjectMapper().readTree(DOCUMENT));

        assertThat(types.forOperation("POST", "/api/v1/apps/hello/versions"))
                .hasValue(List.of("application/java-archive", "application/octet-stream"));
        assertThat(types.forOperation("POST", "/api/v1/apps/a/b/versions")).as("two segments for {name}").isEmpty();
    }

    @Test
    void literalPathWinsOverParameter() throws Exception {
        RequestBodyTypes types = new RequestBodyTypes(new ObjectMapper().readTree(DOCUMENT));

        assertThat(types.forOperation("PUT", "/api/v1/policies/rules")).hasValue(List.of("text/csv"));
        assertThat(types.forOperation("PUT", "/api/v1/policies/other")).hasValue(List.of("application/json"));
    }

    @Test
    void operationWithoutBodyIsEmpty() throws Exception {
        RequestBodyTypes types = new RequestBodyTypes(new ObjectMapper().readTree(DOCUMENT));

        assertThat(types.forOperation("GET", "/api/v1/policies/rules")).isEmpty();
        assertThat(types.forOperation("DELETE", "/api/v1/unknown")).isEmpty();
    }

    @Test
    void documentedUploadNamesJarTypes() {
        assertThat(RequestBodyTypes.documented().forOperation("POST", "/api/v1/apps"))
                .hasValue(List.of("application/java-archive", "application/octet-stream"));
        assertThat(RequestBodyTypes.documented().forOperation("POST", "/api/v1/domains/"))
                .hasValue(List.of("application/json"));
    }
}
