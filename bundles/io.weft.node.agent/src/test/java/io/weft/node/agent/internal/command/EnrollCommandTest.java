package io.weft.node.agent.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.node.agent.internal.EnrollmentResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnrollCommandTest {

    @Test
    void resultNamesNodeCertificateAndManager() {
        EnrollmentResult result = new EnrollmentResult("node-7f3a", "n1.plant1.acme.example", "1a2b",
                Instant.parse("2027-04-01T00:00:00Z"), "127.0.0.1:7443");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        EnrollCommand.print(result, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Enrolled node n1.plant1.acme.example (id node-7f3a)
                Certificate serial 1a2b, valid until 2027-04-01T00:00:00Z
                Connecting to the manager at 127.0.0.1:7443
                """);
    }
}
