package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs iproute2's {@code ip} command, for tests that build network namespaces. Every run is
 * bounded by a timeout, and a failed run raises an exception with the command line and the
 * command's error output.
 */
public final class IpCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Folders searched after PATH, because root's tools are in sbin folders that a build's PATH may lack. */
    private static final List<Path> SYSTEM_FOLDERS = List.of(Path.of("/usr/sbin"), Path.of("/sbin"),
            Path.of("/usr/bin"), Path.of("/bin"));

    private final Path executable;

    private IpCommand(Path executable) {
        this.executable = executable;
    }

    /** Returns the {@code ip} executable on PATH or in the system folders, or empty when there is none. */
    public static Optional<IpCommand> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        Stream<Path> pathFolders = Arrays.stream(path.split(":")).filter(folder -> !folder.isEmpty()).map(Path::of);
        return Stream.concat(pathFolders, SYSTEM_FOLDERS.stream())
                .map(folder -> folder.resolve("ip"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(IpCommand::new);
    }

    /**
     * Returns the {@code ip} executable.
     *
     * @throws IllegalStateException when there is none, which installing iproute2 fixes
     */
    public static IpCommand locate() {
        return find().orElseThrow(() -> new IllegalStateException("The ip command was not found on PATH nor in "
                + SYSTEM_FOLDERS + "; install the iproute2 package"));
    }

    /** Returns the command prefix that runs a program inside the namespace: {@code ip netns exec <namespace>}. */
    public List<String> execPrefix(String namespace) {
        return List.of(executable.toString(), "netns", "exec", namespace);
    }

    /**
     * Runs {@code ip} with the arguments and returns its standard output.
     *
     * @throws IllegalStateException when it exits with another code than 0 or does not finish in 30 s
     */
    public String run(String... arguments) {
        Result result = tryRun(arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(result.describe());
        }
        return result.output();
    }

    /** Runs {@code ip} with the arguments and returns how it ended, whatever its exit code. */
    public Result tryRun(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        return runCommand(command);
    }

    /** Runs a program inside the namespace through {@code ip netns exec} and returns how it ended. */
    public Result tryRunIn(String namespace, String... command) {
        List<String> full = new ArrayList<>(execPrefix(namespace));
        full.addAll(List.of(command));
        return runCommand(full);
    }

    private static Result runCommand(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            // Both streams are read on other threads, so neither a full pipe nor a hung command blocks the timeout.
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> error = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' timed out after "
                        + TIMEOUT.toSeconds() + " s");
            }
            return new Result(command, process.exitValue(), output.join(), error.join());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to run '" + String.join(" ", command) + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running '" + String.join(" ", command) + "'", e);
        }
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return executable.toString();
    }

    /**
     * How one run ended.
     *
     * @param command the command line
     * @param exitCode the exit code
     * @param output standard output
     * @param error standard error
     */
    public record Result(List<String> command, int exitCode, String output, String error) {

        /** Returns a one-line description with the command line, the exit code and the error output. */
        public String describe() {
            return "'" + String.join(" ", command) + "' exited with code " + exitCode + ": "
                    + (error.isBlank() ? output : error).strip();
        }
    }
}
