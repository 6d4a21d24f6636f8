package io.weft.manager.apps.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/** Builds small bundle files in memory for the tests. */
final class TestBundles {

    private TestBundles() {
    }

    /** Returns a bundle with the given symbolic name and version and one class-like entry. */
    static byte[] bundle(String symbolicName, String version) {
        return jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName, "Bundle-Version",
                version), Map.of("org/example/Hello.txt", "hello".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Returns a bundle whose Declarative Services descriptor publishes an operation of the Edge
     * API app {@code app}, as bnd writes it for {@code @EdgeOperation}.
     */
    static byte[] edgeApp(String symbolicName, String version, String app) {
        String descriptor = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="org.example.Greet">
                  <property name="weft.app" type="String" value="%s"/>
                  <property name="weft.operation" type="String" value="greet"/>
                  <service><provide interface="io.weft.app.api.Operation"/></service>
                  <implementation class="org.example.Greet"/>
                </scr:component>""".formatted(app);
        return jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName, "Bundle-Version",
                version, "Service-Component", "OSGI-INF/org.example.Greet.xml"),
                Map.of("OSGI-INF/org.example.Greet.xml", descriptor.getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns a JAR with the manifest headers and the entries. */
    static byte[] jar(Map<String, String> headers, Map<String, byte[]> entries) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jar.putNextEntry(new ZipEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
