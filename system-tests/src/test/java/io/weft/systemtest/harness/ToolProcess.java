package io.weft.systemtest.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A helper program of a test, such as {@link DigestTcpTool} inside a network namespace, whose
 * output lines the test waits for. Standard error is merged into standard output, so failure
 * messages show the program's exceptions. Closing it closes its standard input and destroys it.
 */
public final class ToolProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ToolProcess.class);
    private static final Duration DESTROY_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final OutputStream input;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ToolProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.input = process.getOutputStream();
        this.reader = new Thread(this::readLines, "tool-output-" + name);
        this.reader.setDaemon(true);
    }

    /** Starts the command, with the name that logs and failure messages show. */
    public static ToolProcess start(String name, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ToolProcess tool = new ToolProcess(name, process);
            tool.reader.start();
            LOG.info("Started {}: pid {}, '{}'", name, process.pid(), String.join(" ", command));
            return tool;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start " + name + ": '" + String.join(" ", command) + "'", e);
        }
    }

    /**
     * Waits for the first output line that starts with the prefix and returns it.
     *
     * @throws AssertionError when the process exits or the timeout passes first, with the output in the message
     */
    public String awaitLine(String prefix, Duration timeout) {
        return awaitLine(line -> line.startsWith(prefix), "a line starting with '" + prefix + "'", timeout);
    }

    /** Waits for the first output line that matches, described as {@code expected} in the failure message. */
    public String awaitLine(Predicate<String> matches, String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> found = lines.stream().filter(matches).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                // The reader thread may not have read the last lines of the exited process yet.
                joinReader();
                return lines.stream().filter(matches).findFirst().orElseThrow(() -> new AssertionError(name
                        + " exited with code " + process.exitValue() + " without " + expected + "; its output: "
                        + lines));
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(name + " printed no " + expected + " within " + timeout.toSeconds()
                        + " s; its output: " + lines);
            }
            pause(Duration.ofMillis(100));
        }
    }

    /** Writes one line to the program's standard input. */
    public void writeLine(String line) {
        try {
            input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write to the standard input of " + name + "; its output: "
                    + lines, e);
        }
    }

    /** Returns the output lines so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public long pid() {
        return process.pid();
    }

    /** Closes standard input, which ends {@link DigestTcpTool}, then destroys the process if it still runs. */
    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            LOG.debug("Closing the standard input of {} failed: {}", name, e.toString());
        }
        try {
            if (!process.waitFor(DESTROY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(DESTROY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading the output failed: " + e + ")");
        }
    }

    private void joinReader() {
        try {
            reader.join(DESTROY_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the output of " + name, e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a tool process", e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
