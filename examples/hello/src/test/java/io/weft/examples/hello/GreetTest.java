package io.weft.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

import io.weft.app.api.OperationException;

class GreetTest {

    private final Greet greet = new Greet(config("Hi"));

    @Test
    void greetsWithConfiguredWord() throws OperationException {
        assertThat(greet.greeting(" Ada ")).isEqualTo("Hi, Ada!");
    }

    @Test
    void rejectsMissingName() {
        assertThatThrownBy(() -> greet.greeting(null)).isInstanceOf(OperationException.class)
                .hasMessageContaining("'name' is missing");
    }

    @Test
    void rejectsLongName() {
        assertThatThrownBy(() -> greet.greeting("x".repeat(Greet.MAX_NAME_LENGTH + 1)))
                .isInstanceOf(OperationException.class).hasMessageContaining("101 characters");
    }

    static HelloConfig config(String greeting) {
        return new HelloConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HelloConfig.class;
            }

            @Override
            public String greeting() {
                return greeting;
            }
        };
    }
}
