package io.weft.manager.apps.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Checks that uploaded bytes are an OSGi bundle that is safe to store and unpack: a zip
 * archive whose entry names stay inside it, within limits on the entry count and on the total
 * uncompressed size, with a manifest that declares {@code Bundle-ManifestVersion: 2}, a
 * symbolic name and a version.
 *
 * <p>The uncompressed size is counted from the bytes that inflating produces, not from the
 * sizes that the archive declares, so a zip bomb stops at the limit whatever sizes its headers declare.
 */
final class BundleInspector {

    /** The identity of a valid bundle. */
    record BundleIdentity(String symbolicName, String version) {
    }

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final int MAX_SYMBOLIC_NAME_LENGTH = 255;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final long maxUncompressedBytes;
    private final int maxEntries;

    BundleInspector(long maxUncompressedBytes, int maxEntries) {
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.maxEntries = maxEntries;
    }

    /**
     * Inspects the bundle and returns its symbolic name and normalized version.
     *
     * @throws InvalidBundleException naming the problem
     */
    BundleIdentity inspect(byte[] bundle) {
        Manifest manifest = null;
        int entries = 0;
        long uncompressed = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries++;
                if (entries > maxEntries) {
                    throw new InvalidBundleException("The bundle has more than " + maxEntries + " zip entries, the"
                            + " maximum. Split it into several bundles or raise maxBundleEntries.");
                }
                requireSafeName(entry.getName());
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    byte[] content = readLimited(zip, maxUncompressedBytes - uncompressed);
                    uncompressed += content.length;
                    manifest = new Manifest(new ByteArrayInputStream(content));
                } else {
                    uncompressed += skipLimited(zip, maxUncompressedBytes - uncompressed);
                }
            }
        } catch (IOException e) {
            throw new InvalidBundleException("The upload is not a valid zip archive: " + e.getMessage()
                    + ". Upload the bundle's JAR file.", e);
        }
        if (entries == 0) {
            throw new InvalidBundleException("The upload is not a JAR file: it contains no zip entries."
                    + " Upload the bundle's JAR file.");
        }
        if (manifest == null) {
            throw new InvalidBundleException("The bundle has no " + JarFile.MANIFEST_NAME + " entry among its"
                    + " zip entries.");
        }
        return identity(manifest.getMainAttributes());
    }

    private static void requireSafeName(String name) {
        String normalized = name.replace('\\', '/');
        boolean absolute = normalized.startsWith("/") || (normalized.length() > 1 && normalized.charAt(1) == ':');
        boolean traversal = false;
        for (String segment : normalized.split("/")) {
            traversal |= segment.equals("..");
        }
        if (absolute || traversal || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw new InvalidBundleException("The bundle contains the zip entry '" + name.replace('\0', '?')
                    + "', whose path is absolute or leaves the archive. Rebuild the bundle without it.");
        }
    }

    private byte[] readLimited(InputStream in, long remaining) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            total += read;
            requireWithinLimit(total, remaining);
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private long skipLimited(InputStream in, long remaining) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            total += read;
            requireWithinLimit(total, remaining);
        }
        return total;
    }

    private void requireWithinLimit(long total, long remaining) {
        if (total > remaining) {
            throw new InvalidBundleException("The bundle unpacks to more than " + maxUncompressedBytes
                    + " bytes, the maximum; it may be a zip bomb. Upload a smaller bundle or raise"
                    + " maxUncompressedBytes.");
        }
    }

    private static BundleIdentity identity(Attributes attributes) {
        String manifestVersion = attributes.getValue(Constants.BUNDLE_MANIFESTVERSION);
        if (!"2".equals(manifestVersion == null ? null : manifestVersion.strip())) {
            throw new InvalidBundleException("The manifest declares Bundle-ManifestVersion '" + manifestVersion
                    + "'; an OSGi R4 or later bundle declares 2.");
        }
        return new BundleIdentity(symbolicName(attributes.getValue(Constants.BUNDLE_SYMBOLICNAME)),
                version(attributes.getValue(Constants.BUNDLE_VERSION)));
    }

    private static String symbolicName(String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidBundleException("The manifest has no Bundle-SymbolicName header. Set it, for example"
                    + " with bnd's Bundle-SymbolicName instruction.");
        }
        String name = header.split(";", 2)[0].strip();
        if (name.length() > MAX_SYMBOLIC_NAME_LENGTH || !SYMBOLIC_NAME.matcher(name).matches()) {
            throw new InvalidBundleException("The Bundle-SymbolicName '" + name + "' is invalid: use dot-separated"
                    + " tokens of letters, digits, hyphens and underscores, at most " + MAX_SYMBOLIC_NAME_LENGTH
                    + " characters.");
        }
        return name;
    }

    private static String version(String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidBundleException("The manifest has no Bundle-Version header. Set it, such as 1.0.0,"
                    + " because the repository keeps each version once.");
        }
        try {
            return Version.parseVersion(header.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException("The Bundle-Version '" + header.strip() + "' is invalid: "
                    + e.getMessage() + ". Use major.minor.micro with an optional qualifier, such as 1.2.0.", e);
        }
    }
}
