package io.weft.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionArchiveTest {

    @TempDir
    Path folder;

    @Test
    void homeReturnedWithFileModes() throws IOException {
        Path archive = archive(
                new Entry("weft-node/", 0755, null),
                new Entry("weft-node/bin/karaf", 0755, "#!/bin/sh\n"),
                new Entry("weft-node/etc/users.properties", 0600, "# none\n"));

        Path home = DistributionArchive.unpack(archive, folder.resolve("out"));

        assertThat(home).isEqualTo(folder.resolve("out/weft-node").toAbsolutePath());
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/karaf")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(home.resolve("etc/users.properties")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(home.resolve("etc/users.properties")).hasContent("# none");
    }

    @Test
    void entryOutsideDestinationRejected() throws IOException {
        Path archive = archive(new Entry("weft-node/../../escaped", 0644, "x"));

        assertThatThrownBy(() -> DistributionArchive.unpack(archive, folder.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("points outside");
        assertThat(folder.resolve("escaped")).doesNotExist();
    }

    @Test
    void severalTopLevelFoldersRejected() throws IOException {
        Path archive = archive(new Entry("a/file", 0644, "x"), new Entry("b/file", 0644, "y"));

        assertThatThrownBy(() -> DistributionArchive.unpack(archive, folder.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("[a, b]");
    }

    /** A tar entry: a folder when content is null. */
    private record Entry(String name, int mode, String content) {
    }

    private Path archive(Entry... entries) throws IOException {
        Path archive = folder.resolve("test.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
                GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            for (Entry entry : entries) {
                byte[] bytes = entry.content() == null ? new byte[0] : entry.content().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.name());
                tarEntry.setMode((entry.content() == null ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 : 0100000)
                        | entry.mode());
                tarEntry.setSize(bytes.length);
                tar.putArchiveEntry(tarEntry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }
}
