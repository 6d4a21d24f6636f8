package io.weft.node.apps.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/** Builds the app bundles of the tests in memory: healthy, with a failing activator, unresolvable, unsatisfied. */
final class AppBundles {

    private AppBundles() {
    }

    /** Returns a bundle without code, which is ACTIVE as soon as it starts. */
    static byte[] healthy(String name, String version) {
        return jar(headers(name, version), Map.of());
    }

    /** Returns a bundle whose activator throws in start. */
    static byte[] throwingActivator(String name, String version) {
        Map<String, String> headers = headers(name, version);
        headers.put("Bundle-Activator", BrokenActivator.class.getName());
        headers.put("Import-Package", "org.osgi.framework");
        String path = BrokenActivator.class.getName().replace('.', '/') + ".class";
        return jar(headers, Map.of(path, classBytes(path)));
    }

    /** Returns a bundle that imports a package no bundle exports. */
    static byte[] unresolvable(String name, String version) {
        Map<String, String> headers = headers(name, version);
        headers.put("Import-Package", "org.example.missing;version=\"[1,2)\"");
        return jar(headers, Map.of());
    }

    /** Returns a bundle with a component whose mandatory reference no service satisfies. */
    static byte[] unsatisfiedComponent(String name, String version) {
        Map<String, String> headers = headers(name, version);
        headers.put("Service-Component", "OSGI-INF/waiting.xml");
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"org.example.Waiting\""
                + " immediate=\"true\">\n"
                + "  <implementation class=\"org.example.Waiting\"/>\n"
                + "  <reference name=\"missing\" interface=\"org.example.NeverRegistered\" cardinality=\"1..1\"/>\n"
                + "</scr:component>\n";
        return jar(headers, Map.of("OSGI-INF/waiting.xml", component.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> headers(String name, String version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", name);
        headers.put("Bundle-Version", version);
        return headers;
    }

    private static byte[] jar(Map<String, String> headers, Map<String, byte[]> entries) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((key, value) -> manifest.getMainAttributes().putValue(key, value));
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

    private static byte[] classBytes(String path) {
        try (InputStream in = AppBundles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the test bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
