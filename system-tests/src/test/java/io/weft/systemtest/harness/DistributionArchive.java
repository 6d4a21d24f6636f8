package io.weft.systemtest.harness;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a distribution tar.gz with the file modes it records, so the scripts in bin/
 * stay executable. Links are rejected because a Karaf assembly has none, and a link could
 * send later entries outside the destination.
 */
public final class DistributionArchive {

    private DistributionArchive() {
    }

    /**
     * Unpacks the archive into the destination folder and returns the single top-level
     * folder that a Karaf assembly contains, such as {@code weft-node-0.1.0-SNAPSHOT}.
     *
     * @throws IOException when the archive cannot be read, an entry would land outside the
     *         destination, or the archive has no single top-level folder
     */
    public static Path unpack(Path archive, Path destination) throws IOException {
        Path root = destination.toAbsolutePath().normalize();
        Files.createDirectories(root);

        Set<String> topLevelNames = new TreeSet<>();
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (InputStream file = Files.newInputStream(archive);
                InputStream gzip = new GzipCompressorInputStream(new BufferedInputStream(file));
                TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = resolveInside(root, entry.getName(), archive);
                topLevelNames.add(root.relativize(target).getName(0).toString());
                extract(tar, entry, target, directoryModes, archive);
            }
        }

        // Directory modes are applied last, so a read-only folder still receives its files.
        for (Map.Entry<Path, Integer> directory : directoryModes.entrySet()) {
            Files.setPosixFilePermissions(directory.getKey(), permissions(directory.getValue()));
        }
        return singleTopLevelFolder(root, topLevelNames, archive);
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path target,
            Map<Path, Integer> directoryModes, Path archive) throws IOException {
        if (entry.isDirectory()) {
            Files.createDirectories(target);
            directoryModes.put(target, entry.getMode());
        } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        } else {
            throw new IOException("Unsupported entry " + entry.getName() + " in " + archive
                    + " (tar type '" + (char) entry.getLinkFlag() + "'); a Karaf assembly contains only "
                    + "folders and regular files");
        }
    }

    /** Rejects entry names such as {@code ../x} that would write outside the destination. */
    private static Path resolveInside(Path root, String entryName, Path archive) throws IOException {
        Path target = root.resolve(entryName).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("Entry '" + entryName + "' of " + archive + " points outside " + root);
        }
        return target;
    }

    private static Path singleTopLevelFolder(Path root, Set<String> topLevelNames, Path archive) throws IOException {
        if (topLevelNames.size() != 1) {
            throw new IOException(archive + " must contain exactly one top-level folder but contains "
                    + topLevelNames);
        }

        Path home = root.resolve(topLevelNames.iterator().next());
        if (!Files.isDirectory(home)) {
            throw new IOException(archive + " contains " + home.getFileName() + " at its top level, "
                    + "which is not a folder");
        }
        return home;
    }

    /** Converts the permission bits of a tar mode, such as 0755, into NIO permissions. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] byBit = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < byBit.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(byBit[bit]);
            }
        }
        return permissions;
    }
}
