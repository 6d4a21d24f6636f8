package io.weft.manager.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.ws.rs.HttpMethod;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.rest.api.WeftApi;
import io.weft.manager.rest.internal.errors.ErrorCode;
import io.weft.manager.rest.internal.errors.ErrorDto;

/**
 * Holds the OpenAPI document to what the resources of this bundle serve: the same operations,
 * the same error codes and, for responses that are records, the same fields.
 */
class OpenApiDocumentTest {

    private static final Set<String> OPERATION_KEYS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    /**
     * Extension of a path item that names the bundle whose resources serve the path, for paths
     * that resources of other bundles add to the API.
     */
    static final String SERVED_BY = "x-weft-bundle";
    static final String THIS_BUNDLE = "io.weft.manager.rest";

    private static JsonNode document;
    private static Map<String, Method> resourceMethods;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        document = new ObjectMapper().readTree(OpenApiResource.readDocument());
        resourceMethods = resourceMethods();
    }

    @Test
    void isOpenApi30WithApiBasePath() {
        assertThat(document.path("openapi").asText()).as("openapi").startsWith("3.0.");
        assertThat(document.path("info").path("version").asText()).as("info.version").isEqualTo(WeftApi.API_VERSION);
        assertThat(document.path("servers").path(0).path("url").asText()).as("servers[0].url")
                .isEqualTo(WeftApi.BASE_PATH);
    }

    @Test
    void resourcesFound() {
        assertThat(resourceMethods).as("resource methods in the bundle's classes").isNotEmpty();
    }

    @Test
    void everyDocumentedOperationIsServed() {
        assertThat(resourceMethods.keySet()).as("operations served by resource methods")
                .containsAll(documentedOperations());
    }

    @Test
    void everyResourceMethodIsDocumented() {
        assertThat(documentedOperations()).as("operations in openapi.json")
                .containsAll(resourceMethods.keySet());
    }

    @Test
    void everyReferenceResolves() {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertThat(references).as("$ref values").isNotEmpty();
        for (String reference : references) {
            assertThat(reference).as("$ref").startsWith("#/");
            assertThat(document.at(reference.substring(1)).isMissingNode()).as("target of %s is missing", reference)
                    .isFalse();
        }
    }

    @Test
    void errorSchemaMatchesErrorBody() {
        JsonNode schema = document.at("/components/schemas/Error");

        assertThat(fieldNames(schema.path("properties"))).as("Error properties")
                .isEqualTo(recordComponents(ErrorDto.class));
        assertThat(textValues(schema.path("required"))).as("Error required").isEqualTo(recordComponents(ErrorDto.class));
        assertThat(textValues(schema.at("/properties/error/enum"))).as("Error codes")
                .isEqualTo(Arrays.stream(ErrorCode.values()).map(ErrorCode::jsonName).collect(Collectors.toSet()));
    }

    @Test
    void recordResponsesMatchTheirSchemas() {
        int checked = 0;
        for (Map.Entry<String, Method> operation : resourceMethods.entrySet()) {
            Class<?> returned = operation.getValue().getReturnType();
            if (!returned.isRecord()) {
                continue;
            }
            JsonNode schema = successSchema(operation.getKey());
            assertThat(schema.isMissingNode()).as("200 schema of %s", operation.getKey()).isFalse();

            assertThat(fieldNames(schema.path("properties"))).as("properties of the 200 schema of %s", operation.getKey())
                    .isEqualTo(recordComponents(returned));
            checked++;
        }
        assertThat(checked).as("operations that return a record").isPositive();
    }

    /**
     * Lists "GET /path" for every operation in the document that this bundle serves. A path
     * whose {@value #SERVED_BY} names another bundle belongs to that bundle's test.
     */
    private static Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (!path.getValue().path(SERVED_BY).asText(THIS_BUNDLE).equals(THIS_BUNDLE)) {
                return;
            }
            path.getValue().fieldNames().forEachRemaining(key -> {
                if (OPERATION_KEYS.contains(key)) {
                    operations.add(key.toUpperCase() + " " + path.getKey());
                }
            });
        });
        return operations;
    }

    private static JsonNode successSchema(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode schema = document.path("paths").path(parts[1]).path(parts[0].toLowerCase())
                .path("responses").path("200").path("content").path("application/json").path("schema");
        JsonNode reference = schema.path("$ref");
        return reference.isTextual() ? document.at(reference.asText().substring(1)) : schema;
    }

    /** Maps "GET /path" to the resource method that serves it, for every resource class of the bundle. */
    private static Map<String, Method> resourceMethods() throws IOException, URISyntaxException {
        Map<String, Method> methods = new TreeMap<>();
        for (Class<?> resource : resourceClasses()) {
            String classPath = resource.getAnnotation(javax.ws.rs.Path.class).value();
            for (Method method : resource.getMethods()) {
                String httpMethod = httpMethod(method);
                javax.ws.rs.Path methodPath = method.getAnnotation(javax.ws.rs.Path.class);
                assertThat(httpMethod != null || methodPath == null)
                        .as("%s is a sub-resource locator, which this test does not follow", method).isTrue();
                if (httpMethod == null) {
                    continue;
                }
                String path = normalize(classPath + "/" + (methodPath == null ? "" : methodPath.value()));
                Method previous = methods.put(httpMethod + " " + path, method);
                assertThat(previous).as("second method for %s %s", httpMethod, path).isNull();
            }
        }
        return methods;
    }

    private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(OpenApiResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = load(name);
                if (type.isAnnotationPresent(javax.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Failed to load " + name + " from the bundle's classes", e);
        }
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

    /** Joins segments with single slashes and drops regular expressions from templates: "{id: [0-9]+}" becomes "{id}". */
    static String normalize(String path) {
        String withoutRegex = path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
        String collapsed = ("/" + withoutRegex).replaceAll("/+", "/");
        return collapsed.length() > 1 && collapsed.endsWith("/")
                ? collapsed.substring(0, collapsed.length() - 1)
                : collapsed;
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collectReferences(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectReferences(element, references));
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> textValues(JsonNode array) {
        Set<String> values = new TreeSet<>();
        for (Iterator<JsonNode> elements = array.elements(); elements.hasNext();) {
            values.add(elements.next().asText());
        }
        return values;
    }

    private static Set<String> recordComponents(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
