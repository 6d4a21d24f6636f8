package io.weft.manager.policy.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.policy.internal.DryRunRequest;
import io.weft.manager.policy.internal.FlowRequest;
import io.weft.manager.policy.internal.PolicyDtos;

/**
 * Holds the API's OpenAPI document, which the REST bundle serves, to the policy resource. The
 * paths marked as served by this bundle must have exactly the operations of its methods. The
 * schemas of request and response records must have exactly their fields.
 */
class PolicyOpenApiTest {

    private static final String DOCUMENT = "io/weft/manager/rest/internal/resources/openapi.json";
    private static final String SERVED_BY = "x-weft-bundle";
    private static final String THIS_BUNDLE = "io.weft.manager.policy";
    private static final Set<String> OPERATION_KEYS = Set.of("get", "put", "post", "delete", "patch");

    private static final Map<String, Class<?>> SCHEMAS = Map.ofEntries(
            Map.entry("PolicyRuleList", PolicyDtos.RuleListDto.class),
            Map.entry("PolicyFlow", FlowRequest.class),
            Map.entry("PolicyFlowSource", FlowRequest.Source.class),
            Map.entry("PolicyFlowDestination", FlowRequest.Destination.class),
            Map.entry("PolicyDryRunRequest", DryRunRequest.class),
            Map.entry("PolicyRuleRef", PolicyDtos.RuleRefDto.class),
            Map.entry("PolicyDecision", PolicyDtos.DecisionDto.class),
            Map.entry("PolicyExplanation", PolicyDtos.ExplanationDto.class),
            Map.entry("PolicyFlowChange", PolicyDtos.FlowChangeDto.class),
            Map.entry("PolicyTestFailure", PolicyDtos.TestFailureDto.class),
            Map.entry("PolicyDryRun", PolicyDtos.DryRunDto.class));

    private static JsonNode document;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PolicyOpenApiTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertThat(in).as("%s on the class path, from the REST bundle", DOCUMENT).isNotNull();
            document = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void documentedOperationsMatchResourceMethods() {
        assertThat(documentedOperations()).as("operations of paths with %s %s", SERVED_BY, THIS_BUNDLE)
                .isEqualTo(resourceOperations());
    }

    @Test
    void schemasMatchRecords() {
        SCHEMAS.forEach((name, type) -> {
            JsonNode schema = document.path("components").path("schemas").path(name);
            assertThat(schema.isMissingNode()).as("schema %s", name).isFalse();

            Set<String> properties = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(properties).as("properties of schema %s", name).isEqualTo(components(type));
        });
    }

    @Test
    void everyReferenceResolves() {
        for (String reference : document.findValuesAsText("$ref")) {
            assertThat(document.at(reference.substring(1)).isMissingNode()).as("target of %s", reference).isFalse();
        }
    }

    private static Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getValue().path(SERVED_BY).asText().equals(THIS_BUNDLE)) {
                path.getValue().fieldNames().forEachRemaining(key -> {
                    if (OPERATION_KEYS.contains(key)) {
                        operations.add(key.toUpperCase() + " " + path.getKey());
                    }
                });
            }
        });
        return operations;
    }

    private static Set<String> resourceOperations() {
        Set<String> operations = new TreeSet<>();
        String classPath = PolicyResource.class.getAnnotation(Path.class).value();
        for (Method method : PolicyResource.class.getMethods()) {
            String httpMethod = httpMethod(method);
            if (httpMethod != null) {
                Path methodPath = method.getAnnotation(Path.class);
                operations.add(httpMethod + " /" + classPath + (methodPath == null ? "" : "/" + methodPath.value()));
            }
        }
        return operations;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return httpMethod.value();
            }
        }
        return null;
    }

    private static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
