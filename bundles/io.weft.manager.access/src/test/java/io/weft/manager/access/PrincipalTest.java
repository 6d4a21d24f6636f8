package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrincipalTest {

    @Test
    void normalizeFoldsCase() {
        assertThat(Principal.normalizeName("Alice.Ops-1_x")).isEqualTo("alice.ops-1_x");
    }

    @ParameterizedTest
    @ValueSource(strings = {".alice", "-alice", "al ice", "al\u212Aice", "alice\n", "\u00e9lise", "al/ice"})
    void normalizeRejectsInvalidNames(String name) {
        assertThatThrownBy(() -> Principal.normalizeName(name))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessageContaining("use 1 to 64 ASCII letters, digits, '.', '_' and '-', starting with a letter or a digit.");
    }

    @Test
    void normalizeRejectsLongName() {
        assertThatThrownBy(() -> Principal.normalizeName("a".repeat(65)))
                .hasMessageStartingWith("Invalid user name '" + "a".repeat(64) + "'... (65 characters)");
    }

    @Test
    void normalizeRejectsMissingName() {
        assertThatThrownBy(() -> Principal.normalizeName(""))
                .hasMessage("Missing user name.");
    }

    @Test
    void constructorRejectsUpperCase() {
        assertThatThrownBy(() -> new Principal("Alice", Set.of()))
                .hasMessage("User name 'Alice' is not in lower case. Pass it through Principal.normalizeName first.");
    }

    @Test
    void roleParsesCodes() {
        assertThat(Role.parse("viewer")).isEqualTo(Role.VIEWER);
        assertThat(Role.parse("Operator")).isEqualTo(Role.OPERATOR);
        assertThat(Role.ADMIN.code()).isEqualTo("admin");
        assertThatThrownBy(() -> Role.parse("root"))
                .hasMessage("Unknown role 'root'. Use one of viewer, operator or admin.");
        assertThatThrownBy(() -> Role.parse(null))
                .hasMessage("Missing role. Use one of viewer, operator or admin.");
    }
}
