package io.weft.runtime.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.weft.runtime.ComponentState;
import io.weft.runtime.ReadinessReport;

class VersionCommandTest {

    @Test
    void summaryOfReadyProcess() {
        ReadinessReport report = new ReadinessReport("node", "1.2.3", "abc123", true,
                List.of(new ComponentState("io.weft.runtime", "Evaluator", "active", "")), List.of());

        String output = summary(report);

        assertThat(output).isEqualTo("Weft node 1.2.3\nCommit: abc123\nReady:  yes\n");
    }

    @Test
    void summaryListsProblems() {
        ReadinessReport report = new ReadinessReport("manager", "1.2.3", "unknown", false,
                List.of(), List.of("Karaf has not finished installing its boot features"));

        String output = summary(report);

        assertThat(output).endsWith("Ready:  no\n  - Karaf has not finished installing its boot features\n");
    }

    @Test
    void componentTableHasOneRowPerComponent() {
        ReadinessReport report = new ReadinessReport("node", "1.2.3", "abc123", true,
                List.of(new ComponentState("io.weft.runtime", "Evaluator", "active", ""),
                        new ComponentState("io.weft.runtime", "Servlet", "satisfied", "")),
                List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        VersionCommand.componentTable(report).print(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().map(VersionCommandTest::cells))
                .containsExactly("io.weft.runtime|Evaluator|active|", "io.weft.runtime|Servlet|satisfied|");
    }

    /** Joins the cells of a --no-format row with '|', without ShellTable's padding. */
    private static String cells(String row) {
        return String.join("|", java.util.Arrays.stream(row.split("\t", -1)).map(String::strip)
                .toArray(String[]::new));
    }

    private static String summary(ReadinessReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        VersionCommand.printSummary(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
