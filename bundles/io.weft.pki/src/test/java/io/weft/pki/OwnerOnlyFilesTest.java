package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path temp;

    @Test
    void writeCreatesOwnerOnlyFileAndReplacesIt() throws Exception {
        Path file = temp.resolve("state.json");

        OwnerOnlyFiles.write(file, "one".getBytes());
        OwnerOnlyFiles.write(file, "two".getBytes());

        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var listing = Files.list(temp)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void writeTightensModeOfReplacedFile() throws Exception {
        Path file = temp.resolve("key.pem");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnlyFiles.write(file, "new".getBytes());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void createNewRejectsExistingFile() throws Exception {
        Path file = temp.resolve("key.pem");
        OwnerOnlyFiles.createNew(file, "first".getBytes());

        assertThatThrownBy(() -> OwnerOnlyFiles.createNew(file, "second".getBytes()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("first");
        try (var listing = Files.list(temp)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void readRejectsFileReadableByGroup() throws Exception {
        Path file = temp.resolve("secret");
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> OwnerOnlyFiles.read(file, 100))
                .hasMessageContaining("can be accessed by users other than its owner (mode rw-r-----)");
    }

    @Test
    void readRejectsOversizedFileAndSymbolicLink() throws Exception {
        Path file = temp.resolve("secret");
        OwnerOnlyFiles.write(file, new byte[101]);
        Path link = Files.createSymbolicLink(temp.resolve("link"), file);

        assertThatThrownBy(() -> OwnerOnlyFiles.read(file, 100)).hasMessageContaining("more than the maximum of 100");
        assertThatThrownBy(() -> OwnerOnlyFiles.read(link, 1000)).hasMessageContaining("is not a regular file");
        assertThat(OwnerOnlyFiles.read(file, 101)).hasSize(101);
    }

    @Test
    void createPrivateDirectorySetsMode0700() throws Exception {
        Path existing = Files.createDirectory(temp.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path nested = temp.resolve("a").resolve("b");

        OwnerOnlyFiles.createPrivateDirectory(existing);
        OwnerOnlyFiles.createPrivateDirectory(nested);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    }
}
