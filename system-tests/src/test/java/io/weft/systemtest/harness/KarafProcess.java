package io.weft.systemtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code bin/karaf server}: the shell script and the JVM it starts as a child.
 * Standard output and standard error go to one file, appended across restarts.
 *
 * <p>Linux only: processes of the distribution are found through /proc.
 */
public final class KarafProcess {

    private static final Logger LOG = LoggerFactory.getLogger(KarafProcess.class);

    /** Upper bound on the run of {@code bin/stop}, which only sends the shutdown command and exits. */
    private static final Duration STOP_SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    /** Wait after SIGTERM before SIGKILL, and for the exit code after SIGKILL. */
    private static final Duration DESTROY_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Environment variables that would change where Karaf runs or how it is configured:
     * Karaf's own, JVM options, and ConfigAdmin overrides such as ORG_APACHE_KARAF_SHELL_SSHPORT.
     */
    private static final List<String> INHERITED_PREFIXES_TO_REMOVE = List.of(
            "KARAF_", "JAVA_OPTS", "EXTRA_JAVA_OPTS", "JAVA_MIN_MEM", "JAVA_MAX_MEM", "JAVA_PERM_MEM",
            "JAVA_MAX_PERM_MEM", "JAVA_DEBUG", "WEFT_", "ORG_APACHE_KARAF_", "ORG_OPS4J_", "IO_WEFT_");

    private final String name;
    private final Path home;
    private final Path outputFile;
    private final List<String> commandPrefix;
    private final Process process;
    /** Every process seen in the tree, kept so a JVM orphaned by its script is still found. */
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    private KarafProcess(String name, Path home, Path outputFile, List<String> commandPrefix, Process process) {
        this.name = name;
        this.home = home;
        this.outputFile = outputFile;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.process = process;
        seen.add(process.toHandle());
    }

    /**
     * Starts {@code bin/karaf server} in the home folder.
     *
     * @param name a short name for logs and messages, such as {@code node-1}
     * @param extraJavaOptions options for EXTRA_JAVA_OPTS, which the distribution's
     *        bin/setenv puts after its own defaults; empty to keep the defaults
     * @param commandPrefix the command that runs {@code bin/karaf} and {@code bin/stop}, such as
     *        {@code ip netns exec <namespace>}, or empty to run them directly
     */
    static KarafProcess start(String name, Path home, Path outputFile, List<String> extraJavaOptions,
            List<String> commandPrefix) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(commandPrefix, home.resolve("bin/karaf"), "server"))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        prepareEnvironment(builder.environment(), extraJavaOptions);

        appendMarker(outputFile, "starting '" + String.join(" ", builder.command()) + "' with EXTRA_JAVA_OPTS='"
                + builder.environment().getOrDefault("EXTRA_JAVA_OPTS", "") + "'");
        Process process = builder.start();
        process.getOutputStream().close();

        KarafProcess karaf = new KarafProcess(name, home, outputFile, commandPrefix, process);
        ProcessReaper.register(karaf);
        LOG.info("Started {}: pid {}, home {}", name, process.pid(), home);
        return karaf;
    }

    private static List<String> command(List<String> prefix, Path script, String... arguments) {
        List<String> command = new ArrayList<>(prefix);
        command.add(script.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static void prepareEnvironment(Map<String, String> environment, List<String> extraJavaOptions) {
        environment.keySet().removeIf(key -> INHERITED_PREFIXES_TO_REMOVE.stream().anyMatch(key::startsWith));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        if (!extraJavaOptions.isEmpty()) {
            environment.put("EXTRA_JAVA_OPTS", String.join(" ", extraJavaOptions));
        }
    }

    private static void appendMarker(Path outputFile, String message) throws IOException {
        String line = "=== " + Instant.now() + " harness: " + message + System.lineSeparator();
        Files.writeString(outputFile, line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code of bin/karaf; only valid when {@link #isAlive()} is false. */
    public int exitCode() {
        return process.exitValue();
    }

    public Path outputFile() {
        return outputFile;
    }

    /**
     * Returns the live processes of this distribution: the script, its descendants, and any
     * other process whose command line names the home folder (such as a JVM whose script
     * already exited, or bin/stop).
     */
    public List<ProcessHandle> processes() {
        process.descendants().forEach(seen::add);

        Set<ProcessHandle> found = new LinkedHashSet<>();
        seen.stream().filter(ProcessHandle::isAlive).forEach(found::add);
        found.addAll(processesNaming(home));
        return List.copyOf(found);
    }

    /** Returns the live processes whose command line has an argument inside the folder. */
    public static List<ProcessHandle> processesNaming(Path folder) {
        String prefix = folder.toAbsolutePath().normalize().toString();
        return ProcessHandle.allProcesses()
                .filter(handle -> commandLineNames(handle.pid(), prefix))
                .toList();
    }

    /** Reads the arguments from /proc/PID/cmdline, where each ends with a NUL byte. */
    private static boolean commandLineNames(long pid, String folder) {
        byte[] commandLine;
        try {
            commandLine = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.debug("Cannot read the command line of pid {}: {}", pid, e.toString());
            return false;
        }
        return Arrays.stream(new String(commandLine, StandardCharsets.UTF_8).split("\0"))
                .anyMatch(argument -> argument.equals(folder)
                        || argument.startsWith(folder + "/")
                        || argument.endsWith("=" + folder));
    }

    /**
     * Stops the distribution with {@code bin/stop} and waits for every process to exit. When
     * that takes longer than the timeout, or the wait is interrupted, the harness destroys the
     * processes: SIGTERM first, then SIGKILL for those that outlast {@code DESTROY_TIMEOUT}.
     */
    public StopResult stop(Duration timeout) {
        if (!process.isAlive()) {
            boolean clean = processes().isEmpty();
            destroyLeftovers();
            ProcessReaper.unregister(this);
            return new StopResult(clean, process.exitValue(), -1);
        }

        List<ProcessHandle> tree = processes();
        int stopScriptExitCode = -1;
        boolean exited = false;
        try {
            stopScriptExitCode = runStopScript();
            exited = awaitExit(tree, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while stopping {}; destroying its processes", name);
        } catch (IOException e) {
            LOG.warn("bin/stop of {} failed: {}; destroying its processes", name, e.toString());
        }

        if (!exited) {
            LOG.warn("{} did not exit within {} s after bin/stop; destroying processes {}",
                    name, timeout.toSeconds(), pids(processes()));
            destroyForcibly();
        }
        boolean clean = processes().isEmpty();
        destroyLeftovers();
        ProcessReaper.unregister(this);
        return new StopResult(exited && clean, exitCodeAfterDestroy(), stopScriptExitCode);
    }

    private int runStopScript() throws IOException, InterruptedException {
        appendMarker(outputFile, "running bin/stop");
        // bin/stop connects to Karaf's shutdown port on 127.0.0.1, so it must run in the server's network namespace.
        ProcessBuilder builder = new ProcessBuilder(command(commandPrefix, home.resolve("bin/stop")))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        prepareEnvironment(builder.environment(), List.of());

        Process stopScript = builder.start();
        stopScript.getOutputStream().close();
        if (!stopScript.waitFor(STOP_SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("bin/stop of {} did not finish within {} s; destroying it", name, STOP_SCRIPT_TIMEOUT.toSeconds());
            destroyTree(List.of(stopScript.toHandle()), true);
            return -1;
        }
        return stopScript.exitValue();
    }

    /**
     * Destroys every process of this distribution: SIGTERM, a bounded wait, then SIGKILL.
     * Safe to call from a shutdown hook and more than once.
     */
    void destroyForcibly() {
        List<ProcessHandle> tree = processes();
        destroyTree(tree, false);
        boolean exited = false;
        try {
            exited = awaitExit(tree, DESTROY_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!exited) {
            destroyTree(processes(), true);
        }
    }

    /**
     * Signals children before their parent, because a child whose parent has exited is
     * re-parented and no longer found through {@link ProcessHandle#descendants()}.
     */
    private static void destroyTree(List<ProcessHandle> tree, boolean kill) {
        List<ProcessHandle> childrenFirst = new ArrayList<>(tree);
        Collections.reverse(childrenFirst);
        for (ProcessHandle handle : childrenFirst) {
            handle.descendants().forEach(descendant -> signal(descendant, kill));
            signal(handle, kill);
        }
    }

    private static void signal(ProcessHandle handle, boolean kill) {
        if (kill) {
            handle.destroyForcibly();
        } else {
            handle.destroy();
        }
    }

    /** Kills processes that outlived a stop, such as a JVM orphaned by its script. */
    private void destroyLeftovers() {
        List<ProcessHandle> leftovers = processes();
        if (!leftovers.isEmpty()) {
            LOG.warn("{}: processes {} outlived bin/karaf; killing them", name, pids(leftovers));
            destroyTree(leftovers, true);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> tree, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : tree) {
            long remaining = Math.max(0, deadline - System.nanoTime());
            try {
                handle.onExit().get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException("Waiting for the exit of pid " + handle.pid() + " failed", e);
            }
        }
        return true;
    }

    private int exitCodeAfterDestroy() {
        try {
            return process.waitFor(DESTROY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static List<Long> pids(List<ProcessHandle> handles) {
        return handles.stream().map(ProcessHandle::pid).toList();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", home " + home + ")";
    }
}
