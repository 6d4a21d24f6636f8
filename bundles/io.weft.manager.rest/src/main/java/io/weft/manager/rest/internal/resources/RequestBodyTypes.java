package io.weft.manager.rest.internal.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.rest.api.WeftApi;

/**
 * The media types that each operation of the API reads as its request body, taken from the
 * requestBody of the OpenAPI document, so that a 415 names what the endpoint expects: JSON for
 * most, a JAR for an app upload. Immutable and thread-safe.
 */
public final class RequestBodyTypes {

    /** An operation's path as a pattern, the number of its path parameters, and its types. */
    private record Operation(String method, Pattern path, int parameters, List<String> types) {
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]+}");

    private static volatile RequestBodyTypes documented;

    private final List<Operation> operations;

    RequestBodyTypes(JsonNode document) {
        List<Operation> found = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(operation -> operation(path.getKey(), operation.getKey(),
                    operation.getValue()).ifPresent(found::add));
        }
        // A literal segment such as /policies/rules wins over a parameter such as /policies/{id}.
        found.sort(Comparator.comparingInt(Operation::parameters));
        this.operations = List.copyOf(found);
    }

    /** Returns the types of the API's own OpenAPI document, parsed once. */
    public static RequestBodyTypes documented() {
        RequestBodyTypes types = documented;
        if (types == null) {
            try {
                types = new RequestBodyTypes(new ObjectMapper().readTree(OpenApiResource.readDocument()));
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to parse " + OpenApiResource.DOCUMENT + " of the REST API", e);
            }
            documented = types;
        }
        return types;
    }

    /**
     * Returns the media types that the operation reads, or empty when the document lists no
     * request body for it.
     *
     * @param method  the HTTP method, such as {@code POST}
     * @param rawPath the request's path, with or without the API's base path {@value WeftApi#BASE_PATH}
     */
    public Optional<List<String>> forOperation(String method, String rawPath) {
        String path = relative(rawPath);
        String lowerMethod = method.toLowerCase(Locale.ROOT);
        return operations.stream()
                .filter(operation -> operation.method().equals(lowerMethod) && operation.path().matcher(path).matches())
                .findFirst()
                .map(Operation::types);
    }

    private static Optional<Operation> operation(String path, String method, JsonNode operation) {
        JsonNode content = operation.path("requestBody").path("content");
        if (!content.isObject() || content.isEmpty()) {
            return Optional.empty();
        }
        List<String> types = new ArrayList<>();
        content.fieldNames().forEachRemaining(types::add);
        return Optional.of(new Operation(method.toLowerCase(Locale.ROOT), pattern(path),
                (int) PARAMETER.matcher(path).results().count(), List.copyOf(types)));
    }

    /** Turns an OpenAPI path such as {@code /apps/{name}} into a pattern in which a parameter matches one segment. */
    private static Pattern pattern(String path) {
        StringBuilder regex = new StringBuilder();
        int end = 0;
        var parameters = PARAMETER.matcher(path);
        while (parameters.find()) {
            regex.append(Pattern.quote(path.substring(end, parameters.start()))).append("[^/]+");
            end = parameters.end();
        }
        regex.append(Pattern.quote(path.substring(end)));
        return Pattern.compile(regex.toString());
    }

    private static String relative(String rawPath) {
        String path = rawPath.startsWith(WeftApi.BASE_PATH) ? rawPath.substring(WeftApi.BASE_PATH.length()) : rawPath;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.startsWith("/") ? path : "/" + path;
    }
}
