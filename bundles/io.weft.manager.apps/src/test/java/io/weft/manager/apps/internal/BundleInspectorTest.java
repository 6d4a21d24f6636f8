package io.weft.manager.apps.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BundleInspectorTest {

    private static final Map<String, String> HEADERS = Map.of("Bundle-ManifestVersion", "2",
            "Bundle-SymbolicName", "org.example.hello;singleton:=true", "Bundle-Version", "1.2");

    private final BundleInspector inspector = new BundleInspector(100_000, 50);

    @Test
    void validBundleGivesNameAndNormalizedVersion() {
        BundleInspector.BundleIdentity identity = inspector.inspect(TestBundles.jar(HEADERS, Map.of()));

        assertThat(identity.symbolicName()).isEqualTo("org.example.hello");
        assertThat(identity.version()).isEqualTo("1.2.0");
    }

    @Test
    void notZipIsRejected() {
        assertThatThrownBy(() -> inspector.inspect("not a jar".getBytes()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("not a JAR file");
    }

    @Test
    void missingSymbolicNameIsRejected() {
        Map<String, String> headers = Map.of("Bundle-ManifestVersion", "2", "Bundle-Version", "1.0.0");

        assertThatThrownBy(() -> inspector.inspect(TestBundles.jar(headers, Map.of())))
                .hasMessageContaining("no Bundle-SymbolicName header");
    }

    @Test
    void missingVersionIsRejected() {
        Map<String, String> headers = Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "a.b");

        assertThatThrownBy(() -> inspector.inspect(TestBundles.jar(headers, Map.of())))
                .hasMessageContaining("no Bundle-Version header");
    }

    @Test
    void invalidVersionIsRejected() {
        Map<String, String> headers = Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "a.b",
                "Bundle-Version", "one");

        assertThatThrownBy(() -> inspector.inspect(TestBundles.jar(headers, Map.of())))
                .hasMessageContaining("Bundle-Version 'one' is invalid");
    }

    @Test
    void plainJarIsRejected() {
        assertThatThrownBy(() -> inspector.inspect(TestBundles.jar(Map.of(), Map.of())))
                .hasMessageContaining("Bundle-ManifestVersion 'null'");
    }

    @Test
    void parentPathEntryIsRejected() {
        byte[] jar = TestBundles.jar(HEADERS, Map.of("lib/../../evil.sh", new byte[1]));

        assertThatThrownBy(() -> inspector.inspect(jar))
                .hasMessageContaining("zip entry 'lib/../../evil.sh'");
    }

    @Test
    void absolutePathEntryIsRejected() {
        byte[] jar = TestBundles.jar(HEADERS, Map.of("/etc/cron.d/evil", new byte[1]));

        assertThatThrownBy(() -> inspector.inspect(jar)).hasMessageContaining("zip entry '/etc/cron.d/evil'");
    }

    @Test
    void zipBombIsStoppedAtLimit() {
        byte[] jar = TestBundles.jar(HEADERS, Map.of("zeros.bin", new byte[1_000_000]));

        assertThat(jar.length).isLessThan(10_000);
        assertThatThrownBy(() -> inspector.inspect(jar)).hasMessageContaining("unpacks to more than 100000 bytes");
    }

    @Test
    void tooManyEntriesAreRejected() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            entries.put("entry" + i, new byte[0]);
        }

        assertThatThrownBy(() -> inspector.inspect(TestBundles.jar(HEADERS, entries)))
                .hasMessageContaining("more than 50 zip entries");
    }
}
