package io.weft.systemtest.harness;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings that the Maven build passes to the test JVM as system properties. Each has a
 * default, so a test also runs from an IDE once the distribution paths are set.
 */
public final class HarnessSettings {

    private HarnessSettings() {
    }

    /** The project version that every distribution must report, from {@code weft.expected.version}. */
    public static String expectedVersion() {
        String version = System.getProperty("weft.expected.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("System property weft.expected.version is not set; run the system "
                    + "tests through Maven, which sets it to the project version");
        }
        return version;
    }

    /** Parent folder of the unpacked distributions, from {@code weft.systemtest.workDir}. */
    static Path workDir() {
        String defaultDir = Path.of(System.getProperty("java.io.tmpdir"), "weft-system-tests").toString();
        return Path.of(System.getProperty("weft.systemtest.workDir", defaultDir));
    }

    /** Folder that contains the logs of failed tests, from {@code weft.systemtest.logDir}. */
    static Path logDir() {
        return Path.of(System.getProperty("weft.systemtest.logDir", workDir().resolve("logs").toString()));
    }

    /** Upper bound on the wait for readiness after a start, from {@code weft.systemtest.readyTimeoutSeconds}. */
    static Duration readyTimeout() {
        return Duration.ofSeconds(Long.getLong("weft.systemtest.readyTimeoutSeconds", 180));
    }
}
