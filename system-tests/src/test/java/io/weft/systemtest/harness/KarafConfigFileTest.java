package io.weft.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KarafConfigFileTest {

    @TempDir
    Path folder;

    @Test
    void existingKeyReplacedAndCommentsKept() throws IOException {
        Path file = write("# SSH port\nsshPort = 8102\nsshHost = 127.0.0.1\n");

        KarafConfigFile.set(file, "sshPort", "40001");

        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                .isEqualTo("# SSH port\nsshPort = 40001\nsshHost = 127.0.0.1\n");
    }

    @Test
    void missingKeyAppended() throws IOException {
        Path file = write("sshHost = 127.0.0.1\n");

        KarafConfigFile.set(file, "sshPort", "40001");

        assertThat(KarafConfigFile.get(file, "sshPort")).isEqualTo("40001");
        assertThat(KarafConfigFile.get(file, "sshHost")).isEqualTo("127.0.0.1");
    }

    @Test
    void keyWithSamePrefixUntouched() throws IOException {
        Path file = write("sshPortRange = 1\nsshPort: 8102\n");

        KarafConfigFile.set(file, "sshPort", "40001");

        assertThat(KarafConfigFile.get(file, "sshPortRange")).isEqualTo("1");
        assertThat(KarafConfigFile.get(file, "sshPort")).isEqualTo("40001");
    }

    @Test
    void commentedKeyNotRead() throws IOException {
        Path file = write("# sshPort = 8102\n");

        assertThat(KarafConfigFile.get(file, "sshPort")).isNull();
    }

    private Path write(String content) throws IOException {
        Path file = folder.resolve("org.apache.karaf.shell.cfg");
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return file;
    }
}
