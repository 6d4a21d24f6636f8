package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.weft.fleet.InvalidFleetInputException.Rule;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeTest {

    private static final NodeFullName GW1 = NodeFullName.parse("gw1.east.acme.example");

    @Test
    void createdNodeStartsEmpty() {
        Node node = Node.created(GW1, NodeRole.GATEWAY);

        assertThat(node.state()).isEqualTo(NodeState.CREATED);
        assertThat(node.tags()).isEmpty();
        assertThat(node.cluster()).isEmpty();
        assertThat(node.description()).isEmpty();
        assertThat(node.lastSeen()).isEmpty();
        assertThat(node.domain()).isEqualTo(DomainName.of("east.acme.example"));
    }

    @Test
    void withersReturnChangedCopies() {
        Node node = Node.created(GW1, NodeRole.EDGE);
        Instant seen = Instant.parse("2026-03-01T10:15:30Z");

        Node changed = node.withRole(NodeRole.GATEWAY)
                .withTags(Set.of(Tag.of("zone-b"), Tag.of("gpu")))
                .withCluster(ClusterName.of("web"))
                .withDescription("Rack 4, top shelf")
                .withLastSeen(seen);

        assertThat(changed.role()).isEqualTo(NodeRole.GATEWAY);
        assertThat(changed.tags()).containsExactly(Tag.of("gpu"), Tag.of("zone-b"));
        assertThat(changed.cluster()).contains(ClusterName.of("web"));
        assertThat(changed.description()).isEqualTo("Rack 4, top shelf");
        assertThat(changed.lastSeen()).contains(seen);
        assertThat(changed.withoutCluster().cluster()).isEmpty();
        assertThat(node.role()).isEqualTo(NodeRole.EDGE);
    }

    @Test
    void tagsAreCopiedAndUnmodifiable() {
        Set<Tag> tags = new HashSet<>(Set.of(Tag.of("gpu")));
        Node node = Node.created(GW1, NodeRole.EDGE).withTags(tags);

        tags.add(Tag.of("late"));

        assertThat(node.tags()).containsExactly(Tag.of("gpu"));
        assertThat(node.tags()).isUnmodifiable();
    }

    @Test
    void rejectsMoreThan64Tags() {
        Set<Tag> tags = IntStream.rangeClosed(1, 65).mapToObj(i -> Tag.of("t" + i)).collect(Collectors.toSet());

        InvalidFleetInputException rejected = rejection(() -> Node.created(GW1, NodeRole.EDGE).withTags(tags));

        assertThat(rejected.field()).isEqualTo("tags");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_MANY);
        assertThat(rejected.getMessage()).isEqualTo("The node has 65 tags, more than the maximum of 64. Remove some tags.");
    }

    @Test
    void descriptionAllowsTabsAndLineBreaks() {
        assertThatNoException().isThrownBy(() -> Node.requireValidDescription("line 1\r\nline 2\tend"));
    }

    @Test
    void descriptionAcceptsMaximumLength() {
        String description = "d".repeat(Node.MAX_DESCRIPTION_LENGTH);

        assertThat(Node.requireValidDescription(description)).isSameAs(description);
    }

    @Test
    void descriptionRejectsOverMaximumLength() {
        String description = "d".repeat(Node.MAX_DESCRIPTION_LENGTH + 1);

        InvalidFleetInputException rejected = rejection(() -> Node.requireValidDescription(description));

        assertThat(rejected.field()).isEqualTo("description");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
        assertThat(rejected.getMessage()).endsWith("it has 1025 characters, more than the maximum of 1024. Shorten it.");
    }

    @Test
    void descriptionRejectsControlCharacter() {
        InvalidFleetInputException rejected = rejection(() -> Node.created(GW1, NodeRole.EDGE).withDescription("bell\u0007"));

        assertThat(rejected.field()).isEqualTo("description");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).isEqualTo("Invalid description 'bell\\u0007': character 5 is the control"
                + " character U+0007. Remove it. Only tab and line breaks are allowed.");
    }

    @ParameterizedTest
    @CsvSource({
        "CREATED,  ENROLLED, true",
        "CREATED,  REVOKED,  true",
        "CREATED,  CREATED,  false",
        "ENROLLED, REVOKED,  true",
        "ENROLLED, CREATED,  false",
        "ENROLLED, ENROLLED, false",
        "REVOKED,  CREATED,  false",
        "REVOKED,  ENROLLED, false",
        "REVOKED,  REVOKED,  false",
    })
    void stateTransitionTable(NodeState from, NodeState to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @Test
    void moveToFollowsLifecycle() {
        Node node = Node.created(GW1, NodeRole.EDGE);

        Node revoked = node.moveTo(NodeState.ENROLLED).moveTo(NodeState.REVOKED);

        assertThat(revoked.state()).isEqualTo(NodeState.REVOKED);
    }

    @Test
    void moveToRejectsEnrollingRevokedNode() {
        Node revoked = Node.created(GW1, NodeRole.EDGE).moveTo(NodeState.REVOKED);

        InvalidFleetInputException rejected = rejection(() -> revoked.moveTo(NodeState.ENROLLED));

        assertThat(rejected.field()).isEqualTo("state");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_TRANSITION);
        assertThat(rejected.getMessage()).isEqualTo("Node 'gw1.east.acme.example' cannot move from revoked to enrolled."
                + " A revoked node cannot change state. Create a new node record instead.");
    }

    @Test
    void moveToNamesAllowedStates() {
        Node enrolled = Node.created(GW1, NodeRole.EDGE).moveTo(NodeState.ENROLLED);

        InvalidFleetInputException rejected = rejection(() -> enrolled.moveTo(NodeState.CREATED));

        assertThat(rejected.getMessage()).isEqualTo("Node 'gw1.east.acme.example' cannot move from enrolled to created."
                + " From enrolled a node can move only to revoked.");
    }

    @Test
    void roleAndStateParseIgnoringCase() {
        assertThat(NodeRole.parse("Gateway")).isEqualTo(NodeRole.GATEWAY);
        assertThat(NodeState.parse("enrolled")).isEqualTo(NodeState.ENROLLED);
    }

    @Test
    void roleParseListsValidIds() {
        InvalidFleetInputException rejected = rejection(() -> NodeRole.parse("relay"));

        assertThat(rejected.field()).isEqualTo("role");
        assertThat(rejected.rule()).isEqualTo(Rule.UNKNOWN_VALUE);
        assertThat(rejected.getMessage()).isEqualTo("Unknown node role 'relay'. Use one of: edge, gateway.");
    }

    @Test
    void unpairedSurrogateInDescriptionRejected() {
        InvalidFleetInputException rejected = rejection(() -> Node.requireValidDescription("ok \ud800 end"));

        assertThat(rejected.field()).isEqualTo("description");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).isEqualTo("Invalid description: character 4 is the unpaired UTF-16 "
                + "surrogate U+D800. Send well-formed Unicode text.");
    }

    @Test
    void pairedSurrogatesInDescriptionAccepted() {
        String emoji = "plant \ud83c\udfed";

        assertThat(Node.requireValidDescription(emoji)).isEqualTo(emoji);
    }
}
