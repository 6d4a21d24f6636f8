package io.weft.node.agent.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.node.agent.internal.Enrollment;
import io.weft.node.agent.internal.EnrollmentException;
import io.weft.node.agent.internal.EnrollmentFailures;
import io.weft.node.agent.internal.EnrollmentResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

class EnrollCommandTest {

    private static final EnrollmentResult RESULT = new EnrollmentResult("node-7f3a", "n1.plant1.acme.example", "1a2b",
            Instant.parse("2027-04-01T00:00:00Z"), "127.0.0.1:7443");

    @Test
    void resultNamesNodeCertificateAndManager() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        EnrollCommand.print(RESULT, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Enrolled node n1.plant1.acme.example (id node-7f3a)
                Certificate serial 1a2b, valid until 2027-04-01T00:00:00Z
                Connecting to the manager at 127.0.0.1:7443
                """);
    }

    @Test
    void forceOptionReachesEnrollment() throws Exception {
        RecordingEnrollment enrollment = new RecordingEnrollment(null);
        EnrollCommand command = command(enrollment, "weft-enroll-v1.abc");
        command.force = true;

        command.execute();

        assertThat(enrollment.token).isEqualTo("weft-enroll-v1.abc");
        assertThat(enrollment.replaceIdentity).as("replaceIdentity with --force").isTrue();
    }

    @Test
    void withoutForceIdentityIsKept() throws Exception {
        RecordingEnrollment enrollment = new RecordingEnrollment(null);

        command(enrollment, "weft-enroll-v1.abc").execute();

        assertThat(enrollment.replaceIdentity).as("replaceIdentity without --force").isFalse();
    }

    @Test
    void rejectionBecomesKarafCommandException() {
        EnrollmentException rejection = EnrollmentFailures.rejected("The enrollment token is invalid: it does not"
                + " start with 'weft-enroll-v1.'.");
        EnrollCommand command = command(new RecordingEnrollment(rejection), "garbage");

        // Karaf's ShellUtil prints an exception whose class is named CommandException as one line
        // and logs it at DEBUG; it logs any other exception at ERROR with its stack trace.
        assertThatThrownBy(command::execute)
                .isExactlyInstanceOf(CommandException.class)
                .hasMessage(rejection.getMessage())
                .hasCause(rejection)
                .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("CommandException"));
    }

    private static EnrollCommand command(Enrollment enrollment, String token) {
        EnrollCommand command = new EnrollCommand();
        command.enrollment = enrollment;
        command.token = token;
        return command;
    }

    /** Records the call and returns {@link #RESULT} or throws the given failure. */
    private static final class RecordingEnrollment implements Enrollment {

        private final EnrollmentException failure;
        String token;
        boolean replaceIdentity;

        RecordingEnrollment(EnrollmentException failure) {
            this.failure = failure;
        }

        @Override
        public EnrollmentResult enroll(String token, boolean replaceIdentity) throws EnrollmentException {
            this.token = token;
            this.replaceIdentity = replaceIdentity;
            if (failure != null) {
                throw failure;
            }
            return RESULT;
        }
    }
}
