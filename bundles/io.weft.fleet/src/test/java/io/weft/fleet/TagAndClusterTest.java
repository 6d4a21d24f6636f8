package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.InvalidFleetInputException.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagAndClusterTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "site.plant1", "rack_7", "x-86", "a"})
    void tagAcceptsValidText(String text) {
        assertThat(Tag.of(text)).hasToString(text);
    }

    @Test
    void tagFoldsCase() {
        assertThat(Tag.of("GPU")).isEqualTo(Tag.of("gpu"));
    }

    @Test
    void tagsSortByText() {
        assertThat(Tag.of("b")).isGreaterThan(Tag.of("a"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fast gpu | INVALID_FORMAT | it contains ' ' (U+0020)."
                + " A tag may contain only letters a-z, digits 0-9, '-', '_' and '.'.",
        "site=a   | INVALID_FORMAT | it contains '='.",
        "-gpu     | INVALID_FORMAT | it starts or ends with a punctuation character.",
        "gpu.     | INVALID_FORMAT | it starts or ends with a punctuation character.",
    })
    void tagRejectsInvalidText(String text, Rule rule, String problem) {
        InvalidFleetInputException rejected = rejection(() -> Tag.of(text));

        assertThat(rejected.field()).isEqualTo("tags");
        assertThat(rejected.rule()).isEqualTo(rule);
        assertThat(rejected.getMessage()).startsWith("Invalid tag '" + text + "': " + problem);
    }

    @Test
    void tagRejects64Characters() {
        InvalidFleetInputException rejected = rejection(() -> Tag.of("t".repeat(64)));

        assertThat(rejected.field()).isEqualTo("tags");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
    }

    @Test
    void clusterNameFollowsLabelRules() {
        assertThat(ClusterName.of("Web-Front")).hasToString("web-front");
        assertThat(ClusterName.of("web-front")).isEqualTo(ClusterName.of("WEB-FRONT"));
    }

    @Test
    void clusterNameRejectsUnderscore() {
        InvalidFleetInputException rejected = rejection(() -> ClusterName.of("web_front"));

        assertThat(rejected.field()).isEqualTo("cluster");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).startsWith("Invalid cluster name 'web_front': the label 'web_front' contains '_'.");
    }
}
