package io.weft.manager.rest.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.ws.rs.BadRequestException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.weft.manager.rest.internal.CxfRuntimeDelegate;

@ExtendWith(CxfRuntimeDelegate.class)
class StrictJsonProviderTest {

    private final StrictJsonProvider provider = new StrictJsonProvider();

    @Test
    void jsonNullBodyRejected() {
        assertThatThrownBy(() -> read("null"))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("the request body is the JSON literal null; send a JSON object");
    }

    @Test
    void jsonObjectBodyRead() throws IOException {
        Object entity = read("{\"name\": \"east.acme.example\"}");

        assertThat(entity).isEqualTo(Map.of("name", "east.acme.example"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object read(String body) throws IOException {
        Class<Object> type = (Class) Map.class;
        return provider.readFrom(type, Map.class, new Annotation[0], MediaType.APPLICATION_JSON_TYPE,
                new MultivaluedHashMap<>(), new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }
}
