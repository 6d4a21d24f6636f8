package io.weft.manager.rest.internal.errors;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/**
 * Translates Jackson's exceptions about a request body into API errors. Only read errors are
 * the client's fault. For any other Jackson exception, such as a DTO that cannot be
 * serialized, this class returns null, so the request ends as an internal error.
 *
 * <p>Jackson reports an error inside a nested value as a plain {@link JsonMappingException}
 * that carries the path and wraps the actual error, so the path and the error may come from
 * two exceptions of the cause chain.
 */
final class JsonErrors {

    private static final String TRAILING_TOKEN = "Trailing token";
    private static final String NO_CONTENT = "No content to map";
    private static final String NULL_FOR_PRIMITIVE = "Cannot map `null`";
    private static final String COERCION = "Cannot coerce";

    private JsonErrors() {
    }

    /** Returns the error for a read failure in the cause chain, or null when there is none. */
    static ApiError of(List<Throwable> chain) {
        JsonProcessingException cause = null;
        String wrapperPath = null;
        for (Throwable e : chain) {
            if (e.getClass() == JsonMappingException.class) {
                wrapperPath = wrapperPath == null ? path((JsonMappingException) e) : wrapperPath;
            } else if (cause == null && e instanceof JsonProcessingException json) {
                cause = json;
            }
        }
        if (cause == null) {
            return null;
        }

        String ownPath = cause instanceof JsonMappingException mapping ? path(mapping) : null;
        return of(cause, ownPath == null ? wrapperPath : ownPath);
    }

    private static ApiError of(JsonProcessingException e, String field) {
        if (e instanceof StreamConstraintsException) {
            return ApiError.of(ErrorCode.JSON_LIMIT_EXCEEDED,
                    "the request body exceeds a limit of the JSON reader: " + e.getOriginalMessage(), field);
        }
        if (e instanceof InputCoercionException outOfRange) {
            return ApiError.of(ErrorCode.INVALID_TYPE, "must be " + jsonType(outOfRange.getTargetType())
                    + range(outOfRange.getTargetType()), field);
        }
        if (e instanceof StreamReadException) {
            return malformed(e.getOriginalMessage(), e.getLocation());
        }
        if (e instanceof PropertyBindingException unknown) {
            return unknownField(unknown, field);
        }
        if (e instanceof InvalidFormatException invalid) {
            return invalidValue(invalid, field);
        }
        if (e instanceof MismatchedInputException mismatch) {
            return mismatchedInput(mismatch, field);
        }
        if (e instanceof ValueInstantiationException rejected) {
            return rejectedValue(rejected, field);
        }
        return null;
    }

    private static ApiError malformed(String problem, JsonLocation location) {
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return ApiError.of(ErrorCode.MALFORMED_JSON,
                "the request body is not valid JSON" + where + ": " + problem, null);
    }

    private static ApiError unknownField(PropertyBindingException e, String field) {
        Collection<Object> knownIds = e.getKnownPropertyIds();
        String known = knownIds == null ? "" : knownIds.stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        String message = "unknown field '" + e.getPropertyName() + "'"
                + (known.isEmpty() ? "; this object has no fields" : "; the known fields are " + known);
        return ApiError.of(ErrorCode.UNKNOWN_FIELD, message, field == null ? e.getPropertyName() : field);
    }

    private static ApiError invalidValue(InvalidFormatException e, String field) {
        Class<?> target = e.getTargetType();
        String problem = Objects.requireNonNullElse(e.getOriginalMessage(), "");
        if (problem.startsWith(COERCION)) {
            return ApiError.of(ErrorCode.INVALID_TYPE, "must be " + jsonType(target) + ", not " + quote(e.getValue()),
                    field);
        }
        if (target != null && target.isEnum()) {
            String values = Arrays.stream(target.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
            return ApiError.of(ErrorCode.INVALID_FIELD, "must be one of " + values + ", not " + quote(e.getValue()),
                    field);
        }
        String typeName = target == null ? "value" : target.getSimpleName();
        return ApiError.of(ErrorCode.INVALID_FIELD, "is not a valid " + typeName + ": " + quote(e.getValue()), field);
    }

    private static ApiError mismatchedInput(MismatchedInputException e, String field) {
        String problem = Objects.requireNonNullElse(e.getOriginalMessage(), "");
        if (problem.startsWith(TRAILING_TOKEN)) {
            return malformed("content follows the first JSON value", e.getLocation());
        }
        if (problem.startsWith(NO_CONTENT)) {
            return ApiError.of(ErrorCode.MISSING_BODY, "the request body is empty; send a JSON document", null);
        }

        String expected = jsonType(e.getTargetType());
        if (problem.startsWith(NULL_FOR_PRIMITIVE)) {
            return ApiError.of(ErrorCode.INVALID_TYPE, "is missing or null but must be " + expected, field);
        }
        String message = field == null ? "the request body must be " + expected : "must be " + expected;
        return ApiError.of(ErrorCode.INVALID_TYPE, message, field);
    }

    /** A request type's constructor rejected a value; its message states the rule. */
    private static ApiError rejectedValue(ValueInstantiationException e, String field) {
        Throwable cause = e.getCause();
        String rule = cause == null || cause.getMessage() == null ? "has a value that the API cannot use"
                : cause.getMessage();
        return ApiError.of(ErrorCode.INVALID_FIELD, rule, field);
    }

    /** Formats the location of the error in the body, such as {@code spec.ports[2].name}, or null at the top level. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    /** Names the JSON type that a Java type is read from, with its article. */
    static String jsonType(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == float.class || type == double.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == char.class
                || type == Character.class) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String range(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == short.class || type == Short.class) {
            return " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        }
        if (type == byte.class || type == Byte.class) {
            return " from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
        }
        return " in the range of the field";
    }

    private static String quote(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }
}
