package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Weft installations for one JUnit scope: a test class when injected into a
 * {@code @BeforeAll} method, one test otherwise. When the scope ends,
 * {@link WeftSystemTestExtension} stops every installation and deletes its folder.
 */
public final class WeftInstallations implements ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(WeftInstallations.class);
    private static final Map<Distribution, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

    private final List<WeftInstallation> installations = new ArrayList<>();

    WeftInstallations() {
    }

    /** Unpacks and configures a distribution without starting it. */
    public WeftInstallation create(Distribution distribution) {
        String name = distribution.role() + "-"
                + COUNTERS.computeIfAbsent(distribution, key -> new AtomicInteger()).incrementAndGet();
        try {
            Files.createDirectories(HarnessSettings.workDir());
            Path folder = Files.createTempDirectory(HarnessSettings.workDir(), name + "-");
            WeftInstallation installation = WeftInstallation.create(name, distribution, folder);
            installations.add(installation);
            return installation;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to unpack " + distribution.archive() + " into "
                    + HarnessSettings.workDir(), e);
        }
    }

    /** Unpacks, configures and starts a distribution, and waits for readiness. */
    public WeftInstallation start(Distribution distribution) {
        WeftInstallation installation = create(distribution);
        installation.start();
        return installation;
    }

    /** Returns the installations created in this scope, oldest first. */
    public List<WeftInstallation> all() {
        return List.copyOf(installations);
    }

    /** Stops every installation and deletes its folder, unless weft.systemtest.keepWorkDir is true. */
    @Override
    public void close() {
        for (WeftInstallation installation : installations) {
            try {
                installation.close();
            } catch (RuntimeException e) {
                LOG.error("Failed to stop {}; its processes may still run: {}", installation,
                        installation.processes(), e);
            }
            deleteFolder(installation);
        }
        installations.clear();
    }

    private static void deleteFolder(WeftInstallation installation) {
        if (Boolean.getBoolean("weft.systemtest.keepWorkDir")) {
            LOG.info("Keeping {} because weft.systemtest.keepWorkDir is true", installation.folder());
            return;
        }
        try (Stream<Path> paths = Files.walk(installation.folder())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.warn("Failed to delete {}: {}", installation.folder(), e.toString());
        }
    }
}
