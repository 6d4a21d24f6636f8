package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.InvalidFleetInputException.Rule;
import org.junit.jupiter.api.Test;

class NodeFullNameTest {

    @Test
    void parseSplitsAtFirstDot() {
        NodeFullName name = NodeFullName.parse("GW1.East.acme.example");

        assertThat(name.node()).isEqualTo(NodeName.of("gw1"));
        assertThat(name.domain()).isEqualTo(DomainName.of("east.acme.example"));
        assertThat(name.domain().depth()).isEqualTo(3);
        assertThat(name).hasToString("gw1.east.acme.example");
    }

    @Test
    void ofEqualsParsedName() {
        NodeFullName combined = NodeFullName.of(NodeName.of("gw1"), DomainName.of("east.acme.example"));

        assertThat(combined).isEqualTo(NodeFullName.parse("gw1.east.acme.example"));
        assertThat(combined.hashCode()).isEqualTo(NodeFullName.parse("gw1.east.acme.example").hashCode());
    }

    @Test
    void parseRejectsNameWithoutDomain() {
        InvalidFleetInputException rejected = rejection(() -> NodeFullName.parse("gw1"));

        assertThat(rejected.field()).isEqualTo("node");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).isEqualTo("Invalid node full name 'gw1': it has no domain."
                + " Write '<node>.<domain>', such as 'gw1.east.acme.example'.");
    }

    @Test
    void parseReportsFieldNodeForBadDomain() {
        InvalidFleetInputException rejected = rejection(() -> NodeFullName.parse("gw1.east..example"));

        assertThat(rejected.field()).isEqualTo("node");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).startsWith("Invalid node full name 'gw1.east..example': it contains an empty label");
    }

    @Test
    void ofRejectsFullNameOver253Characters() {
        String label = "a".repeat(63);
        DomainName domain = DomainName.of(String.join(".", label, label, label, "b".repeat(61)));

        InvalidFleetInputException rejected = rejection(() -> NodeFullName.of(NodeName.of("gw1"), domain));

        assertThat(rejected.field()).isEqualTo("node");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
        assertThat(rejected.getMessage()).contains("it has 257 characters, more than the maximum of 253");
    }

    @Test
    void nodeNameFoldsCase() {
        assertThat(NodeName.of("GW-1")).hasToString("gw-1");
    }

    @Test
    void nodeNameRejectsDots() {
        InvalidFleetInputException rejected = rejection(() -> NodeName.of("gw1.east"));

        assertThat(rejected.field()).isEqualTo("node");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).isEqualTo("Invalid node name 'gw1.east': a node name is a single label"
                + " and cannot contain '.'. Remove the dots.");
    }

    @Test
    void nodeNameRejectsLeadingHyphen() {
        InvalidFleetInputException rejected = rejection(() -> NodeName.of("-gw1"));

        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).contains("starts or ends with '-'");
    }

    @Test
    void nodeNameRejects64Characters() {
        InvalidFleetInputException rejected = rejection(() -> NodeName.of("n".repeat(64)));

        assertThat(rejected.field()).isEqualTo("node");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
    }

    @Test
    void nodeNameRejectsEmpty() {
        InvalidFleetInputException rejected = rejection(() -> NodeName.of(""));

        assertThat(rejected.rule()).isEqualTo(Rule.MISSING);
        assertThat(rejected.getMessage()).isEqualTo("The node name is missing. Send a non-empty node name.");
    }
}
