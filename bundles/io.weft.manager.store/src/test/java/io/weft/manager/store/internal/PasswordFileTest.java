package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.store.StoreException;

class PasswordFileTest {

    @TempDir
    Path folder;

    @Test
    void trailingLineBreakRemoved() throws IOException {
        assertThat(PasswordFile.read(write("unix", "s3cret pass\n"))).isEqualTo("s3cret pass");
        assertThat(PasswordFile.read(write("windows", "s3cret pass\r\n"))).isEqualTo("s3cret pass");
        assertThat(PasswordFile.read(write("bare", " s3cret "))).isEqualTo(" s3cret ");
    }

    @Test
    void emptyFileRejected() throws IOException {
        Path file = write("empty", "\n");

        assertThatThrownBy(() -> PasswordFile.read(file))
                .isInstanceOf(StoreException.class)
                .hasMessage("The database password file " + file + " is empty; write the password into it");
    }

    @Test
    void missingFileNamedInMessage() {
        Path file = folder.resolve("missing");

        assertThatThrownBy(() -> PasswordFile.read(file))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Failed to read the database password file " + file + ": NoSuchFileException");
    }

    private Path write(String name, String content) throws IOException {
        Path file = Files.writeString(folder.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
