package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.KarafConfigFile;
import io.weft.systemtest.harness.ReadinessReport;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The node's JVM profiles: bin/setenv takes the profile from WEFT_JVM_PROFILE or from
 * etc/weft-jvm.properties and puts EXTRA_JAVA_OPTS after the profile's options. On an unknown
 * profile bin/start stops with an error, while bin/status warns and uses small. Most tests
 * source bin/setenv in {@code sh} and print the options it exports, without starting Karaf.
 * One starts a node with the throughput profile.
 */
@ExtendWith(WeftSystemTestExtension.class)
class NodeJvmProfileIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SMALL_OPTIONS = List.of("-Xmx64m", "-XX:MaxNewSize=4m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final List<String> THROUGHPUT_OPTIONS = List.of("-Xmx256m", "-XX:MaxNewSize=96m",
            "-XX:+UseParallelGC");
    private static final List<String> SHARED_OPTIONS = List.of("-XX:MaxMetaspaceSize=128m",
            "-Dorg.apache.sshd.security.provider.BC.enabled=false");

    @Test
    void defaultProfileIsSmall(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);

        Script result = sourceSetenv(node, Map.of());

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(KarafConfigFile.get(node.etc().resolve("weft-jvm.properties"), "profile"))
                .as("profile in the shipped etc/weft-jvm.properties").isEqualTo("small");
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").containsAll(SMALL_OPTIONS).containsAll(SHARED_OPTIONS);
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").doesNotContain("-XX:+UseParallelGC");
    }

    @Test
    void fileSelectsThroughputProfile(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);
        KarafConfigFile.set(node.etc().resolve("weft-jvm.properties"), "profile", "throughput");

        Script result = sourceSetenv(node, Map.of());

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").containsAll(THROUGHPUT_OPTIONS)
                .containsAll(SHARED_OPTIONS);
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").doesNotContain("-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC");
    }

    @Test
    void environmentOverridesFile(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);
        KarafConfigFile.set(node.etc().resolve("weft-jvm.properties"), "profile", "throughput");

        Script result = sourceSetenv(node, Map.of("WEFT_JVM_PROFILE", "small"));

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").containsAll(SMALL_OPTIONS);
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").doesNotContain("-XX:+UseParallelGC");
    }

    @Test
    void extraJavaOptsComeLast(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);
        KarafConfigFile.set(node.etc().resolve("weft-jvm.properties"), "profile", "throughput");

        Script result = sourceSetenv(node, Map.of("EXTRA_JAVA_OPTS", "-Xmx512m"));

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.options()).as("EXTRA_JAVA_OPTS").containsSubsequence("-Xmx256m", "-Xmx512m");
        assertThat(result.options().get(result.options().size() - 1)).as("last option").isEqualTo("-Xmx512m");
    }

    @Test
    void unknownProfileStopsStart(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);
        KarafConfigFile.set(node.etc().resolve("weft-jvm.properties"), "profile", "gatway");

        Script result = run(node, List.of("sh", "bin/start"), Map.of());

        assertThat(result.exitCode()).as("exit code of bin/start; stdout: %s", result.stdout()).isEqualTo(1);
        assertThat(result.stderr()).as("stderr of bin/start").contains("'gatway'", "small or throughput");
        assertThat(node.processes()).as("processes of %s", node).isEmpty();
    }

    @Test
    void unknownProfileStillAllowsStatus(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);
        Files.writeString(node.etc().resolve("weft-jvm.properties"), "profile = throughput # gateway\n",
                StandardCharsets.UTF_8);

        Script start = run(node, List.of("sh", "bin/start"), Map.of());
        Script status = run(node, List.of("sh", "bin/status"), Map.of());

        assertThat(start.exitCode()).as("exit code of bin/start; stdout: %s", start.stdout()).isEqualTo(1);
        assertThat(start.stderr()).as("stderr of bin/start").contains("'throughput # gateway'");
        assertThat(status.stderr()).as("stderr of bin/status").contains("Using small for this command");
        assertThat(status.stdout()).as("stdout of bin/status; stderr: %s", status.stderr()).contains("Not Running");
    }

    @Test
    void throughputNodeStartsReady(WeftInstallations installations) throws Exception {
        WeftInstallation node = installations.create(Distribution.NODE);
        KarafConfigFile.set(node.etc().resolve("weft-jvm.properties"), "profile", "throughput");

        ReadinessReport report = node.start();

        assertThat(report.ready()).as("ready with the throughput profile").isTrue();
        List<String> arguments = jvmArguments(node);
        assertThat(arguments).as("arguments of the Karaf JVM").containsAll(THROUGHPUT_OPTIONS);
        assertThat(arguments).as("arguments of the Karaf JVM").doesNotContain("-XX:TieredStopAtLevel=1");
    }

    /** Sources bin/setenv in sh, as bin/karaf does, and captures the EXTRA_JAVA_OPTS it exports. */
    private static Script sourceSetenv(WeftInstallation node, Map<String, String> environment)
            throws IOException, InterruptedException {
        return run(node, List.of("sh", "-c", "DIRNAME=bin; . bin/setenv; printf '%s' \"$EXTRA_JAVA_OPTS\""),
                environment);
    }

    private static Script run(WeftInstallation node, List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(node.home().toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("WEFT_") || name.contains("JAVA_OPTS")
                || name.startsWith("KARAF_"));
        builder.environment().putAll(environment);
        Path stdout = Files.createTempFile(node.home(), "script-", ".out");
        Path stderr = Files.createTempFile(node.home(), "script-", ".err");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + SCRIPT_TIMEOUT.toSeconds() + " s");
        }
        return new Script(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** Returns the command line of the installation's Karaf JVM, read from /proc. */
    private static List<String> jvmArguments(WeftInstallation node) throws IOException {
        for (ProcessHandle process : node.processes()) {
            Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
            List<String> arguments = Files.exists(cmdline)
                    ? Arrays.asList(Files.readString(cmdline, StandardCharsets.UTF_8).split("\0"))
                    : List.of();
            if (arguments.contains("org.apache.karaf.main.Main")) {
                return new ArrayList<>(arguments);
            }
        }
        throw new AssertionError("No Karaf JVM (org.apache.karaf.main.Main) among the processes of " + node);
    }

    private record Script(int exitCode, String stdout, String stderr) {

        List<String> options() {
            return Arrays.stream(stdout.strip().split("\\s+")).filter(option -> !option.isEmpty()).toList();
        }
    }
}
