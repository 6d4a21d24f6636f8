package io.weft.node.edge.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.weft.app.api.EdgeOperation;
import io.weft.policy.AppOperation;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.Selector;
import io.weft.policy.Subject;

/**
 * Declaration of one operation by an app, read from the service properties of {@link EdgeOperation}.
 *
 * @param operation     the app and operation names
 * @param safe          whether {@code GET} is allowed
 * @param streaming     whether the service is a {@code StreamingOperation}
 * @param allow         the selectors of the callers that the app allows, where an empty list allows no caller
 * @param timeoutMillis the app's own deadline in milliseconds, 0 for the node's default
 */
record OperationDeclaration(AppOperation operation, boolean safe, boolean streaming, List<Selector> allow,
        long timeoutMillis) {

    OperationDeclaration {
        Objects.requireNonNull(operation, "operation");
        allow = List.copyOf(allow);
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("Invalid " + EdgeOperation.PROPERTY_TIMEOUT_MILLIS + " "
                    + timeoutMillis + " of operation " + operation + ": set 0 for the node's default or a positive"
                    + " number of milliseconds");
        }
    }

    /**
     * Reads the service properties of an operation service.
     *
     * @throws IllegalArgumentException naming the property and the fix when one is missing or invalid
     */
    static OperationDeclaration of(Map<String, ?> properties, boolean streaming) {
        String app = text(properties, EdgeOperation.PROPERTY_APP);
        String name = text(properties, EdgeOperation.PROPERTY_OPERATION);
        AppOperation operation;
        try {
            operation = new AppOperation(app, name);
        } catch (InvalidPolicyException e) {
            throw new IllegalArgumentException("Invalid app or operation name '" + app + "/" + name + "': "
                    + e.getMessage(), e);
        }
        return new OperationDeclaration(operation, bool(properties.get(EdgeOperation.PROPERTY_SAFE)), streaming,
                selectors(operation, properties.get(EdgeOperation.PROPERTY_ALLOW)),
                number(operation, properties.get(EdgeOperation.PROPERTY_TIMEOUT_MILLIS)));
    }

    /** Returns true when one of the app's selectors matches the caller. */
    boolean allows(Subject caller) {
        return allow.stream().anyMatch(selector -> selector.matches(caller));
    }

    private static String text(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("The service property " + key + " is missing or not a text. Annotate"
                    + " the operation's component with @EdgeOperation(app = ..., operation = ...).");
        }
        return text;
    }

    private static boolean bool(Object value) {
        return value instanceof Boolean flag ? flag : value instanceof String text && Boolean.parseBoolean(text);
    }

    private static long number(AppOperation operation, Object value) {
        if (value == null) {
            return 0;
        }
        try {
            return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + EdgeOperation.PROPERTY_TIMEOUT_MILLIS + " '" + value
                    + "' of operation " + operation + ": write a number of milliseconds", e);
        }
    }

    private static List<Selector> selectors(AppOperation operation, Object value) {
        List<Selector> selectors = new ArrayList<>();
        for (String text : texts(value)) {
            try {
                selectors.add(Selector.parse(text));
            } catch (InvalidPolicyException e) {
                throw new IllegalArgumentException("Invalid caller selector '" + text + "' in "
                        + EdgeOperation.PROPERTY_ALLOW + " of operation " + operation + ": " + e.getMessage(), e);
            }
        }
        return selectors;
    }

    private static List<String> texts(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        throw new IllegalArgumentException("The service property " + EdgeOperation.PROPERTY_ALLOW
                + " must be a text or an array of texts, not " + value.getClass().getSimpleName());
    }
}
