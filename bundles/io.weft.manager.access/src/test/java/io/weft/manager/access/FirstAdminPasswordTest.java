package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstAdminPasswordTest {

    @TempDir
    Path folder;

    private final FirstAdminPassword firstAdmin = new FirstAdminPassword(new SecureRandom());

    @Test
    void createsOwnerOnlyFile() throws IOException {
        Path file = folder.resolve("weft-admin.password");

        FirstAdminPassword.Result result = firstAdmin.createOrRead(file, "admin");

        assertThat(result.created()).isTrue();
        assertThat(new String(result.password())).matches("[A-Za-z0-9_-]{24}");
        assertThat(Files.readString(file)).isEqualTo(new String(result.password()) + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void readsExistingFileUnchanged() throws IOException {
        Path file = folder.resolve("weft-admin.password");
        char[] first = firstAdmin.createOrRead(file, "admin").password();

        FirstAdminPassword.Result second = firstAdmin.createOrRead(file, "admin");

        assertThat(second.created()).isFalse();
        assertThat(second.password()).isEqualTo(first);
        assertThat(Files.readString(file)).isEqualTo(new String(first) + "\n");
    }

    @Test
    void readsPasswordPlacedByOperator() throws IOException {
        Path file = ownerOnlyFile("a phrase the operator chose\r\n");

        FirstAdminPassword.Result result = firstAdmin.createOrRead(file, "admin");

        assertThat(result.created()).isFalse();
        assertThat(new String(result.password())).isEqualTo("a phrase the operator chose");
    }

    @Test
    void rejectsFileReadableByOthers() throws IOException {
        Path file = ownerOnlyFile("a phrase the operator chose\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> firstAdmin.createOrRead(file, "admin"))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " can be accessed by users other than its owner (mode rw-r--r--). Run 'chmod 600 "
                        + file + "', or delete it to generate a new password.");
    }

    @Test
    void rejectsSymbolicLink() throws IOException {
        Path target = ownerOnlyFile("a phrase the operator chose\n");
        Path link = Files.createSymbolicLink(folder.resolve("link.password"), target);

        assertThatThrownBy(() -> firstAdmin.createOrRead(link, "admin"))
                .isInstanceOf(IOException.class)
                .hasMessage(link + " is not a regular file. Replace it with a file or delete it.");
    }

    @Test
    void rejectsShortPassword() throws IOException {
        Path file = ownerOnlyFile("short\n");

        assertThatThrownBy(() -> firstAdmin.createOrRead(file, "admin"))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessageStartingWith("The password in " + file + " is not acceptable: The password has 5 characters,"
                        + " fewer than the minimum of 12.")
                .hasMessageEndingWith("Replace it, or delete the file to generate a password.");
    }

    @Test
    void rejectsOversizedFile() throws IOException {
        Path file = ownerOnlyFile("x".repeat(FirstAdminPassword.MAX_FILE_BYTES + 1));

        assertThatThrownBy(() -> firstAdmin.createOrRead(file, "admin"))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " has more than the maximum of 4096 bytes. Delete it to generate a new password.");
    }

    @Test
    void rejectsMissingFolder() {
        Path file = folder.resolve("missing").resolve("weft-admin.password");

        assertThatThrownBy(() -> firstAdmin.createOrRead(file, "admin")).isInstanceOf(IOException.class);
    }

    @Test
    void concurrentStartsAgreeOnOnePassword() throws Exception {
        Path file = folder.resolve("weft-admin.password");
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<FirstAdminPassword.Result>> results = new ArrayList<>();
            Callable<FirstAdminPassword.Result> start = () -> firstAdmin.createOrRead(file, "admin");
            for (int i = 0; i < 8; i++) {
                results.add(executor.submit(start));
            }

            List<FirstAdminPassword.Result> values = new ArrayList<>();
            for (Future<FirstAdminPassword.Result> result : results) {
                values.add(result.get(30, TimeUnit.SECONDS));
            }

            String expected = Files.readString(file, StandardCharsets.UTF_8).trim();
            assertThat(values).extracting(value -> new String(value.password())).containsOnly(expected);
            assertThat(values).filteredOn(FirstAdminPassword.Result::created).hasSize(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void resultToStringOmitsPassword() throws IOException {
        FirstAdminPassword.Result result = firstAdmin.createOrRead(folder.resolve("weft-admin.password"), "admin");

        assertThat(result.toString()).isEqualTo("FirstAdminPassword.Result[created=true]");
    }

    private Path ownerOnlyFile(String content) throws IOException {
        Path file = folder.resolve("weft-admin.password");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
