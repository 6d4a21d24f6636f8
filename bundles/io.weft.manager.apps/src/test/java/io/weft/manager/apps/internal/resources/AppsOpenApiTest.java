package io.weft.manager.apps.internal.resources;

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

import io.weft.manager.apps.internal.AppDtos;
import io.weft.manager.apps.internal.DeploymentDtos;
import io.weft.manager.apps.internal.DeploymentSpec;
import io.weft.manager.apps.internal.SigningDtos;

/**
 * Holds the API's OpenAPI document, which the REST bundle serves, to the app and deployment
 * resources. The paths marked as served by this bundle must have exactly the operations of their methods. The
 * schemas of request and response records must have exactly their fields.
 */
class AppsOpenApiTest {

    private static final String DOCUMENT = "io/weft/manager/rest/internal/resources/openapi.json";
    private static final String SERVED_BY = "x-weft-bundle";
    private static final String THIS_BUNDLE = "io.weft.manager.apps";
    private static final Set<String> OPERATION_KEYS = Set.of("get", "put", "post", "delete", "patch");

    private static final Map<String, Class<?>> SCHEMAS = Map.ofEntries(
            Map.entry("AppVersion", AppDtos.AppVersionDto.class),
            Map.entry("App", AppDtos.AppDto.class),
            Map.entry("AppList", AppDtos.AppListDto.class),
            Map.entry("DeploymentTarget", DeploymentSpec.Target.class),
            Map.entry("DeploymentCanary", DeploymentSpec.Canary.class),
            Map.entry("DeploymentFailureThreshold", DeploymentSpec.FailureThreshold.class),
            Map.entry("DeploymentRequest", DeploymentDtos.DeploymentRequest.class),
            Map.entry("DeploymentNode", DeploymentDtos.DeploymentNodeDto.class),
            Map.entry("Deployment", DeploymentDtos.DeploymentDto.class),
            Map.entry("DeploymentList", DeploymentDtos.DeploymentListDto.class),
            Map.entry("SigningCertificate", SigningDtos.SigningCertificateDto.class),
            Map.entry("RevokeSigningRequest", SigningDtos.RevokeSigningRequest.class),
            Map.entry("SigningRevocation", SigningDtos.SigningRevocationDto.class));

    private static JsonNode document;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = AppsOpenApiTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
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
        operations.addAll(resourceOperations(AppResource.class));
        operations.addAll(resourceOperations(DeploymentResource.class));
        operations.addAll(resourceOperations(AppSigningResource.class));
        return operations;
    }

    private static Set<String> resourceOperations(Class<?> resource) {
        Set<String> operations = new TreeSet<>();
        String classPath = resource.getAnnotation(Path.class).value();
        for (Method method : resource.getMethods()) {
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
