package io.weft.systemtest.harness;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The outcome of one Karaf shell command run over SSH. Karaf colors some output even
 * without a terminal, so ANSI escape sequences are removed from both streams.
 *
 * @param command the command line as sent
 * @param exitStatus the exit status that Karaf sent, 0 on success, or -1 when it sent none
 * @param output standard output
 * @param error standard error
 */
public record ShellResult(String command, int exitStatus, String output, String error) {

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    static ShellResult of(String command, int exitStatus, String output, String error) {
        return new ShellResult(command, exitStatus, stripAnsi(output), stripAnsi(error));
    }

    static String stripAnsi(String text) {
        return ANSI_ESCAPE.matcher(text).replaceAll("");
    }

    /** Standard output split into lines, without line terminators. */
    public List<String> outputLines() {
        return output.lines().toList();
    }

    /**
     * Returns this result when the exit status is 0.
     *
     * @throws AssertionError naming the command, its exit status and both streams otherwise
     */
    public ShellResult requireSuccess() {
        if (exitStatus != 0) {
            throw new AssertionError("Karaf shell command '" + command + "' failed with exit status " + exitStatus
                    + "\nstandard output:\n" + output + "\nstandard error:\n" + error);
        }
        return this;
    }
}
