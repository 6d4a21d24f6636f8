package io.weft.manager.policy.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.manager.policy.internal.PolicyDtos.DecisionDto;
import io.weft.manager.policy.internal.PolicyDtos.ExplanationDto;
import io.weft.manager.policy.internal.PolicyDtos.RuleRefDto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.ws.rs.BadRequestException;
import org.junit.jupiter.api.Test;

class PolicyCommandsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void policiesUnformattedShowsDestinationAsJson() throws IOException {
        JsonNode rule = MAPPER.readTree("""
                {"id": "ea-echo", "domain": "acme.example", "source": "node:ea.a.acme.example",
                 "destination": {"service": "echo", "nodes": "node:eb.b.acme.example"}, "action": "allow"}""");

        String output = print(out -> PoliciesCommand.print(List.of(rule), false, out));

        assertThat(fields(output)).containsExactly(List.of("ea-echo", "acme.example", "allow", "node:ea.a.acme.example",
                "{\"service\":\"echo\",\"nodes\":\"node:eb.b.acme.example\"}", ""));
    }

    @Test
    void policiesEmptyTableSaysDefaultDeny() {
        assertThat(print(out -> PoliciesCommand.print(List.of(), true, out)))
                .contains("No rules, so every flow is denied");
    }

    @Test
    void explainNamesRuleOrDefaultDeny() {
        ExplanationDto allowed = new ExplanationDto(4, "node:ea -> service echo", new DecisionDto("allow",
                new RuleRefDto("ea-echo", "acme.example", false), "allowed by rule ea-echo"));
        ExplanationDto denied = new ExplanationDto(4, "node:eb -> service echo", new DecisionDto("deny", null,
                "no rule allows it"));

        String allowedOutput = print(out -> PolicyExplainCommand.print(allowed, out));
        String deniedOutput = print(out -> PolicyExplainCommand.print(denied, out));

        assertThat(allowedOutput).contains("Decision: allow").contains("Rule:     ea-echo in acme.example")
                .contains("Policy:   version 4");
        assertThat(deniedOutput).contains("Decision: deny").contains("Rule:     none (default deny)");
    }

    @Test
    void rejectionGetsHint() {
        CommandFailedException failure = CommandFailedException.of(new BadRequestException("The port is missing"),
                "Pass --port.");

        assertThat(failure).hasMessage("The port is missing. Pass --port.");
        assertThat(CommandFailedException.isRejection(new IllegalStateException("database down"))).isFalse();
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
