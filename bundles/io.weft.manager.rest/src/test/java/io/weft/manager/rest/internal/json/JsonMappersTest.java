package io.weft.manager.rest.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

class JsonMappersTest {

    private static final ObjectMapper MAPPER = JsonMappers.strict();

    record Holder(Object value) {
    }

    record Pair(String name, String note) {
    }

    @Test
    void typeIdInBodyCreatesNoClass() throws Exception {
        Holder holder = MAPPER.readValue("{\"value\": [\"java.net.URL\", \"http://127.0.0.1/\"]}", Holder.class);

        assertThat(holder.value()).isInstanceOf(java.util.List.class);
    }

    @Test
    void classPropertyIsPlainData() throws Exception {
        Holder holder = MAPPER.readValue("{\"value\": {\"@class\": \"java.net.URL\"}}", Holder.class);

        assertThat(holder.value()).isEqualTo(Map.of("@class", "java.net.URL"));
    }

    @Test
    void unknownPropertyFails() {
        assertThatThrownBy(() -> MAPPER.readValue("{\"name\": \"a\", \"extra\": 1}", Pair.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void nullFieldIsWritten() throws Exception {
        assertThat(MAPPER.writeValueAsString(new Pair("a", null))).isEqualTo("{\"name\":\"a\",\"note\":null}");
    }
}
