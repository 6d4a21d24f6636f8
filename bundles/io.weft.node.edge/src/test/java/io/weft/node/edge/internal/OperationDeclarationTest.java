package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.weft.app.api.EdgeOperation;
import io.weft.policy.ClientSubject;

class OperationDeclarationTest {

    @Test
    void readsServiceProperties() {
        OperationDeclaration declaration = OperationDeclaration.of(Map.of(EdgeOperation.PROPERTY_APP, "hello",
                EdgeOperation.PROPERTY_OPERATION, "info", EdgeOperation.PROPERTY_SAFE, Boolean.TRUE,
                EdgeOperation.PROPERTY_ALLOW, List.of("client:ci"), EdgeOperation.PROPERTY_TIMEOUT_MILLIS, 1500L),
                false);

        assertThat(declaration.operation().toString()).isEqualTo("hello/info");
        assertThat(declaration.safe()).isTrue();
        assertThat(declaration.timeoutMillis()).isEqualTo(1500);
        assertThat(declaration.allows(ClientSubject.of("ci"))).isTrue();
        assertThat(declaration.allows(ClientSubject.of("other"))).isFalse();
    }

    @Test
    void rejectsMissingApp() {
        assertThatThrownBy(() -> OperationDeclaration.of(Map.of(EdgeOperation.PROPERTY_OPERATION, "greet"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weft.app is missing");
    }

    @Test
    void rejectsInvalidOperationName() {
        assertThatThrownBy(() -> OperationDeclaration.of(Map.of(EdgeOperation.PROPERTY_APP, "hello",
                EdgeOperation.PROPERTY_OPERATION, "greet/all"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'hello/greet/all'");
    }

    @Test
    void rejectsInvalidSelector() {
        assertThatThrownBy(() -> OperationDeclaration.of(Map.of(EdgeOperation.PROPERTY_APP, "hello",
                EdgeOperation.PROPERTY_OPERATION, "greet", EdgeOperation.PROPERTY_ALLOW, "everyone"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid caller selector 'everyone'");
    }

    @Test
    void rejectsNegativeTimeout() {
        assertThatThrownBy(() -> OperationDeclaration.of(Map.of(EdgeOperation.PROPERTY_APP, "hello",
                EdgeOperation.PROPERTY_OPERATION, "greet", EdgeOperation.PROPERTY_TIMEOUT_MILLIS, -1L), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid weft.timeoutMillis -1");
    }
}
