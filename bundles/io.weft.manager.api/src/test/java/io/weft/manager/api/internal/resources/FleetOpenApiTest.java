package io.weft.manager.api.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
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

import io.weft.manager.api.internal.access.GrantDto;
import io.weft.manager.api.internal.access.IssuedTokenDto;
import io.weft.manager.api.internal.access.OperatorDto;
import io.weft.manager.api.internal.access.TokenDto;
import io.weft.manager.api.internal.apps.ApiClientTokenService.IssuedApiClientToken;
import io.weft.manager.api.internal.fleet.ProfileJson;

/**
 * Holds the API's OpenAPI document, which the REST bundle serves, to the resources of this
 * bundle: the paths marked as served by this bundle have exactly the operations of its
 * resource methods, and the schemas have exactly the fields of the DTOs.
 */
class FleetOpenApiTest {

    private static final String DOCUMENT = "io/weft/manager/rest/internal/resources/openapi.json";
    private static final String SERVED_BY = "x-weft-bundle";
    private static final String THIS_BUNDLE = "io.weft.manager.api";
    private static final Set<String> OPERATION_KEYS = Set.of("get", "put", "post", "delete", "patch");
    private static final List<Class<?>> RESOURCES = List.of(DomainResource.class, NodeResource.class,
            AuditResource.class, OperatorResource.class, TokenResource.class, EnrollmentResource.class,
            RevocationResource.class, EnrollResource.class, PkiResource.class, FlowResource.class,
            ApiClientTokenResource.class);

    private static final Map<String, Class<?>> SCHEMAS = Map.ofEntries(
            Map.entry("Domain", DomainDto.class),
            Map.entry("DomainPage", DomainPageDto.class),
            Map.entry("DomainCreate", DomainCreateRequest.class),
            Map.entry("DomainUpdate", DomainUpdateRequest.class),
            Map.entry("Node", NodeDto.class),
            Map.entry("NodePage", NodePageDto.class),
            Map.entry("NodeCreate", NodeCreateRequest.class),
            Map.entry("NodeUpdate", NodeUpdateRequest.class),
            Map.entry("NodeStateChange", NodeStateRequest.class),
            Map.entry("ProfileDocument", ProfileJson.Document.class),
            Map.entry("ProfileEntry", ProfileJson.Entry.class),
            Map.entry("Profile", ProfileDto.class),
            Map.entry("EffectiveProfile", EffectiveProfileDto.class),
            Map.entry("EffectiveValue", EffectiveValueDto.class),
            Map.entry("EffectiveRemoval", EffectiveRemovalDto.class),
            Map.entry("AuditEntry", AuditEntryDto.class),
            Map.entry("AuditPage", AuditPageDto.class),
            Map.entry("Flow", FlowDto.class),
            Map.entry("FlowPage", FlowPageDto.class),
            Map.entry("AuditVerification", AuditVerificationDto.class),
            Map.entry("AuditBrokenLink", AuditVerificationDto.BrokenLinkDto.class),
            Map.entry("Grant", GrantDto.class),
            Map.entry("Operator", OperatorDto.class),
            Map.entry("OperatorPage", OperatorPageDto.class),
            Map.entry("OperatorCreate", OperatorCreateRequest.class),
            Map.entry("OperatorUpdate", OperatorUpdateRequest.class),
            Map.entry("PasswordChange", PasswordChangeRequest.class),
            Map.entry("Token", TokenDto.class),
            Map.entry("TokenPage", TokenPageDto.class),
            Map.entry("TokenIssue", TokenIssueRequest.class),
            Map.entry("IssuedToken", IssuedTokenDto.class),
            Map.entry("EnrollmentTokenRequest", EnrollmentResource.TokenRequest.class),
            Map.entry("EnrollmentToken", EnrollmentResource.TokenDto.class),
            Map.entry("EnrollmentTokenList", EnrollmentResource.TokenListDto.class),
            Map.entry("IssuedEnrollmentToken", EnrollmentResource.IssuedTokenDto.class),
            Map.entry("RevokeRequest", RevocationResource.RevokeRequest.class),
            Map.entry("EnrollRequest", EnrollResource.EnrollRequest.class),
            Map.entry("Enrolled", EnrollResource.EnrolledDto.class),
            Map.entry("ApiClientTokenRequest", ApiClientTokenResource.ApiClientTokenRequest.class),
            Map.entry("IssuedApiClientToken", IssuedApiClientToken.class));

    private static JsonNode document;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = FleetOpenApiTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
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
    void schemasMatchDtos() {
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
        List<String> references = document.findValuesAsText("$ref");

        for (String reference : references) {
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
        for (Class<?> resource : RESOURCES) {
            String classPath = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod != null) {
                    Path methodPath = method.getAnnotation(Path.class);
                    operations.add(httpMethod + " /" + classPath + (methodPath == null ? "" : "/" + methodPath.value()));
                }
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
