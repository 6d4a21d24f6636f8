package io.weft.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ResultAndErrorTest {

    @Test
    void okResultHas200() {
        OperationResult result = OperationResult.ok(Map.of("a", 1));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo(Map.of("a", 1));
    }

    @Test
    void noContentHasNoBody() {
        assertThat(OperationResult.noContent().status()).isEqualTo(204);
        assertThat(OperationResult.noContent().body()).isNull();
    }

    @Test
    void resultRejectsErrorStatus() {
        assertThatThrownBy(() -> OperationResult.of(404, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid status 404");
    }

    @Test
    void badRequestNamesField() {
        OperationException error = OperationException.badRequest("name", "Send a name.");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_request");
        assertThat(error.field()).hasValue("name");
        assertThat(error.getMessage()).isEqualTo("Send a name.");
    }

    @Test
    void errorRejectsSuccessStatus() {
        assertThatThrownBy(() -> new OperationException(200, "ok", "fine", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid status 200");
    }

    @Test
    void callerPrintsAsSelector() {
        assertThat(new Caller(Caller.Kind.NODE, "n1.edge.example")).hasToString("node:n1.edge.example");
        assertThat(new Caller(Caller.Kind.CLIENT, "ci")).hasToString("client:ci");
    }
}
