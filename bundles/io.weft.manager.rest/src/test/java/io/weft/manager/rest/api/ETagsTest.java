package io.weft.manager.rest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.weft.manager.rest.internal.CxfRuntimeDelegate;

@ExtendWith(CxfRuntimeDelegate.class)
class ETagsTest {

    @Test
    void versionIsStrongQuotedTag() {
        assertThat(ETags.of(7).toString()).isEqualTo("\"7\"");
    }

    @Test
    void ifMatchNamesVersion() {
        assertThat(ETags.requiredVersion("\"42\"")).isEqualTo(42);
        assertThat(ETags.requiredVersion("  \"0\" ")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   " })
    void missingIfMatchIsPreconditionRequired(String header) {
        assertThatThrownBy(() -> ETags.requiredVersion(header)).isInstanceOf(PreconditionRequiredException.class);
    }

    @Test
    void absentIfMatchIsPreconditionRequired() {
        assertThatThrownBy(() -> ETags.requiredVersion(null)).isInstanceOf(PreconditionRequiredException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "7", "W/\"7\"", "\"\"", "\"-1\"", "\"+1\"", "\"1.0\"", "*", "\"7\", \"8\"",
            "\"99999999999999999999\"" })
    void malformedIfMatchIsInvalidField(String header) {
        assertThatThrownBy(() -> ETags.requiredVersion(header))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("If-Match");
                    assertThat(e.getMessage()).isEqualTo(
                            "must be one ETag of this API, a version number in double quotes such as \"3\"");
                });
    }

    @Test
    void anyMatchesCurrentVersion() {
        assertThat(ETags.requiredVersion("*", 12)).isEqualTo(12);
        assertThat(ETags.requiredVersion(" * ", 3)).isEqualTo(3);
        assertThat(ETags.requiredVersion("\"4\"", 12)).isEqualTo(4);
    }

    @Test
    void listMatchesWhenOneTagIsCurrent() {
        assertThat(ETags.requiredVersion("\"9\", \"12\"", 12)).isEqualTo(12);
        assertThat(ETags.requiredVersion("\"9\",\"10\"", 12)).as("no listed tag is current").isEqualTo(9);
        assertThat(ETags.requiredVersion("W/\"12\", \"7\"", 12)).as("weak tag never matches").isEqualTo(7);
    }

    @Test
    void onlyWeakTagsArePreconditionFailed() {
        assertThatThrownBy(() -> ETags.requiredVersion("W/\"12\"", 12))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("weak");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"1\", *", "\"1\",", "\"1\" \"2\"", "W/3" })
    void malformedListIsInvalidField(String header) {
        assertThatThrownBy(() -> ETags.requiredVersion(header, 1))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("If-Match"));
    }

    @Test
    void checkAcceptsAnyAndRejectsMalformed() {
        ETags.check("*");
        ETags.check("\"5\"");

        assertThatThrownBy(() -> ETags.check(null)).isInstanceOf(PreconditionRequiredException.class);
        assertThatThrownBy(() -> ETags.check("W/\"5\"")).isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> ETags.check("5"))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "must be * or a comma-separated list of ETags of this API, each a version number in double"
                                + " quotes such as \"3\""));
    }
}
