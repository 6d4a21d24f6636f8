package io.weft.manager.api.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.manager.api.internal.fleet.NodeControlReader.ControlView;
import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditVerification;
import io.weft.manager.store.Domain;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.ws.rs.NotFoundException;
import org.junit.jupiter.api.Test;

class ManagerCommandsTest {

    private static final Instant CREATED = Instant.parse("2026-01-31T12:00:00Z");
    private static final Node GATEWAY = new Node("id-1", "gw1", "east.acme.example", NodeRole.GATEWAY, Set.of(),
            Optional.empty(), "", NodeState.ENROLLED, Optional.empty(), 2, CREATED, CREATED);
    private static final Node EDGE = new Node("id-2", "cam1", "east.acme.example", NodeRole.EDGE, Set.of("camera"),
            Optional.empty(), "", NodeState.CREATED, Optional.empty(), 1, CREATED, CREATED);

    @Test
    void domainsUnformatted() {
        String output = print(out -> DomainsCommand.print(List.of(new Domain("acme.example", "root", 1, CREATED,
                CREATED), new Domain("east.acme.example", "", 1, CREATED, CREATED)), false, out));

        assertThat(fields(output)).containsExactly(List.of("acme.example", "root"), List.of("east.acme.example", ""));
    }

    @Test
    void domainsEmptyTableNamesCommand() {
        assertThat(print(out -> DomainsCommand.print(List.of(), true, out)))
                .contains("No domains; create one with weft:domain-create <name>");
    }

    @Test
    void nodesShowControlState() {
        Instant seen = Instant.parse("2026-01-31T12:05:00Z");
        List<NodesCommand.Row> rows = List.of(
                new NodesCommand.Row(GATEWAY, new ControlView(7, 6, true, Optional.empty(), Optional.of(seen))),
                new NodesCommand.Row(EDGE, new ControlView(0, 0, false, Optional.empty(), Optional.empty())));

        String output = print(out -> NodesCommand.print(rows, false, false, out));

        assertThat(fields(output)).containsExactly(
                List.of("gw1.east.acme.example", "gateway", "enrolled", "yes", "7", "6", "2026-01-31T12:05:00Z"),
                List.of("cam1.east.acme.example", "edge", "created", "no", "0", "0", "never"));
    }

    @Test
    void nodesFormattedHasHeaders() {
        String output = print(out -> NodesCommand.print(List.of(), true, false, out));

        assertThat(output.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .contains("Node").contains("Online").contains("Desired").contains("Applied"));
        assertThat(output).contains("No nodes; create one with weft:node-create <node>.<domain>");
    }

    @Test
    void nodesFilteredEmptyNamesFilters() {
        String output = print(out -> NodesCommand.print(List.of(), true, true, out));

        assertThat(output).contains("No node matches the filters");
        assertThat(output).doesNotContain("create one with weft:node-create");
    }

    @Test
    void auditVerifyPrintsAnchor() {
        AuditAnchor anchor = new AuditAnchor(3, "a".repeat(64));

        String output = print(out -> AuditVerifyCommand.print(new AuditVerification(3, anchor, Optional.empty()), out));

        assertThat(output).contains("Entries checked: 3").contains("Intact:          yes")
                .contains("3:" + "a".repeat(64));
    }

    @Test
    void shellErrorsAppendHint() {
        assertThatThrownBy(() -> ShellErrors.call(() -> {
            throw new NotFoundException("domain 'x.example' not found");
        }, "List the domains with weft:domains."))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("domain 'x.example' not found. List the domains with weft:domains.");
    }

    @Test
    void shellErrorsPassDatabaseFailures() {
        IllegalStateException failure = new IllegalStateException("database down");

        assertThatThrownBy(() -> ShellErrors.call(() -> {
            throw failure;
        }, "unused")).isSameAs(failure);
    }

    private static String print(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<List<String>> fields(String output) {
        return output.lines().filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split("\t", -1)).map(String::strip).toList()).toList();
    }
}
