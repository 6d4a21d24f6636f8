package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.InvalidFleetInputException.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

    private static final String LONGEST_LABEL = "a".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"example", "acme.example", "plant1.east.acme.example", "xn--bcher-kva.example",
        "a-b.c0.example", "1plant.acme.example"})
    void acceptsValidNames(String text) {
        DomainName domain = DomainName.of(text);

        assertThat(domain.toString()).isEqualTo(text);
    }

    @Test
    void acceptsLabelOf63Characters() {
        DomainName domain = DomainName.of(LONGEST_LABEL + ".example");

        assertThat(domain.labels()).containsExactly(LONGEST_LABEL, "example");
    }

    @Test
    void acceptsNameOf253Characters() {
        String name = String.join(".", LONGEST_LABEL, LONGEST_LABEL, LONGEST_LABEL, "b".repeat(61));

        assertThat(DomainName.of(name).toString()).hasSize(253);
    }

    @Test
    void foldsUpperCase() {
        DomainName domain = DomainName.of("East.ACME.Example");

        assertThat(domain.toString()).isEqualTo("east.acme.example");
        assertThat(domain).isEqualTo(DomainName.of("east.acme.example"));
        assertThat(domain.hashCode()).isEqualTo(DomainName.of("east.acme.example").hashCode());
    }

    @Test
    void rejectsLabelOf64Characters() {
        InvalidFleetInputException rejected = rejection(() -> DomainName.of("a".repeat(64) + ".example"));

        assertThat(rejected.field()).isEqualTo("domain");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
        assertThat(rejected.getMessage()).contains("has 64 characters, more than the maximum of 63. Shorten the label.");
    }

    @Test
    void rejectsNameOver253Characters() {
        String name = String.join(".", LONGEST_LABEL, LONGEST_LABEL, LONGEST_LABEL, "b".repeat(62));

        InvalidFleetInputException rejected = rejection(() -> DomainName.of(name));

        assertThat(rejected.field()).isEqualTo("domain");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
        assertThat(rejected.getMessage()).contains("it has 254 characters, more than the maximum of 253");
    }

    @Test
    void quotesLongNameShortened() {
        String name = "a".repeat(300);

        InvalidFleetInputException rejected = rejection(() -> DomainName.of(name));

        assertThat(rejected.getMessage()).startsWith("Invalid domain '" + "a".repeat(80) + "'... (300 characters): ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-east.acme.example  | the label '-east' starts or ends with '-'",
        "east-.acme.example  | the label 'east-' starts or ends with '-'",
        "east_1.acme.example | the label 'east_1' contains '_'",
        "east acme.example   | the label 'east acme' contains ' ' (U+0020)",
        "bücher.example      | the label 'bücher' contains 'ü' (U+00FC)",
        "east..acme.example  | it contains an empty label between two dots",
        ".acme.example       | it starts with '.'",
        "acme.example.       | it ends with '.'. Write the name without the trailing dot.",
        "10.0.0.1            | the last label '1' is all digits",
        "acme.123            | the last label '123' is all digits",
    })
    void rejectsInvalidFormat(String text, String problem) {
        InvalidFleetInputException rejected = rejection(() -> DomainName.of(text));

        assertThat(rejected.field()).isEqualTo("domain");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).startsWith("Invalid domain '" + text + "': " + problem);
    }

    @Test
    void explainsCharacterRuleAndFix() {
        InvalidFleetInputException rejected = rejection(() -> DomainName.of("east_1.acme.example"));

        assertThat(rejected.getMessage()).isEqualTo("Invalid domain 'east_1.acme.example': the label 'east_1' contains"
                + " '_'. A label may contain only letters a-z, digits 0-9 and '-'. Write internationalized"
                + " names in their ASCII form (xn--...).");
    }

    @Test
    void escapesControlCharacters() {
        InvalidFleetInputException rejected = rejection(() -> DomainName.of("east\n.example"));

        assertThat(rejected.getMessage()).startsWith("Invalid domain 'east\\u000a.example': the label 'east\\u000a'"
                + " contains the control character U+000A.");
    }

    @Test
    void rejectsEmptyName() {
        InvalidFleetInputException rejected = rejection(() -> DomainName.of(""));

        assertThat(rejected.field()).isEqualTo("domain");
        assertThat(rejected.rule()).isEqualTo(Rule.MISSING);
        assertThat(rejected.getMessage()).isEqualTo("The domain is missing. Send a non-empty domain.");
    }

    @Test
    void rejectsNullName() {
        InvalidFleetInputException rejected = rejection(() -> DomainName.of(null));

        assertThat(rejected.rule()).isEqualTo(Rule.MISSING);
    }

    @Test
    void parentDropsFirstLabel() {
        DomainName plant = DomainName.of("plant1.east.acme.example");

        assertThat(plant.parent()).contains(DomainName.of("east.acme.example"));
        assertThat(plant.parent().flatMap(DomainName::parent)).contains(DomainName.of("acme.example"));
        assertThat(plant.parent().get().depth()).isEqualTo(3);
    }

    @Test
    void singleLabelHasNoParent() {
        assertThat(DomainName.of("example").parent()).isEmpty();
    }

    @Test
    void depthCountsLabels() {
        assertThat(DomainName.of("example").depth()).isEqualTo(1);
        assertThat(DomainName.of("plant1.east.acme.example").depth()).isEqualTo(4);
        assertThat(DomainName.of("plant1.east.acme.example").labels())
                .containsExactly("plant1", "east", "acme", "example");
    }

    @ParameterizedTest
    @CsvSource({
        "plant1.east.acme.example, acme.example,      true",
        "east.acme.example,        east.acme.example, true",
        "acme.example,             east.acme.example, false",
        "westacme.example,         acme.example,      false",
        "west.acme.example,        east.acme.example, false",
        "acme.example,             example,           true",
    })
    void isWithinFollowsLabelBoundaries(String domain, String other, boolean within) {
        assertThat(DomainName.of(domain).isWithin(DomainName.of(other))).isEqualTo(within);
    }
}
