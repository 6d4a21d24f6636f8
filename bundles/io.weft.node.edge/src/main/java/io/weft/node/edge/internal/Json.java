package io.weft.node.edge.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON reading and writing of the Edge API, on one shared, thread-safe mapper. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * Parses a JSON body into plain Java values: maps, lists, strings, numbers, booleans and null.
     *
     * @throws IOException when the bytes are not one JSON value
     */
    static Object parse(byte[] body) throws IOException {
        if (body.length == 0) {
            return null;
        }
        return MAPPER.readValue(body, Object.class);
    }

    /**
     * Writes a JSON value of plain Java values.
     *
     * @throws IllegalArgumentException when the value contains a type that JSON cannot carry
     */
    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Returns the error body {@code {"error": code, "message": text, "field": name}}, without a null field. */
    static byte[] error(String code, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        return write(body);
    }
}
