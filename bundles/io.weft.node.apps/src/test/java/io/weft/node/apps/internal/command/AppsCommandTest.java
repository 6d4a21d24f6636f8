package io.weft.node.apps.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.node.apps.internal.AppStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppsCommandTest {

    @Test
    void listsEachAppWithRunningVersionAndError() {
        List<AppStatus> statuses = List.of(
                new AppStatus("org.example.hello", "d1", "2.1.0", AppStatus.ROLLED_BACK, "activator failed", "2.0.0",
                        "2026-12-05T02:00:00Z"),
                new AppStatus("org.example.feed", "d2", "1.0.0", AppStatus.INSTALLED, null, "1.0.0",
                        "2026-12-05T02:00:00Z"));

        String output = print(statuses, true).replaceAll(" +\t", "\t");

        assertThat(output).contains("org.example.hello\t2.1.0\t2.0.0\trolled-back\td1\tactivator failed");
        assertThat(output).contains("org.example.feed\t1.0.0\t1.0.0\tinstalled\td2\t-");
    }

    @Test
    void emptyListSaysSo() {
        assertThat(print(List.of(), false)).contains("No apps deployed to this node");
    }

    private static String print(List<AppStatus> statuses, boolean noFormat) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AppsCommand.print(statuses, noFormat, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
