package io.weft.node.edge.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class OperationsCommandTest {

    private static final EdgeStatus.OperationStatus GREET = new EdgeStatus.OperationStatus("hello/greet", false,
            false, 0, List.of("client:ci", "role:edge"), 27);
    private static final EdgeStatus.OperationStatus READINGS = new EdgeStatus.OperationStatus(
            "sensor-feed/readings", true, true, 600_000, List.of(), 31);

    @Test
    void unformattedOneLinePerOperation() {
        String output = print(List.of(GREET, READINGS), false);

        assertThat(output.lines().map(line -> Arrays.asList(line.strip().split("\\s+"))).toList()).containsExactly(
                List.of("hello/greet", "POST", "call", "default", "client:ci,role:edge"),
                List.of("sensor-feed/readings", "GET,POST", "stream", "600000", "none"));
    }

    @Test
    void formattedHasHeaders() {
        String output = print(List.of(GREET), true);

        assertThat(output).contains("Operation").contains("Allowed callers").contains("hello/greet");
    }

    @Test
    void emptyTableExplains() {
        assertThat(print(List.of(), true)).contains("No operations");
    }

    private static String print(List<EdgeStatus.OperationStatus> operations, boolean format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OperationsCommand.print(operations, format, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
