package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup of the server binaries that the PostgreSQL suite depends on. */
class PostgresServerTest {

    @TempDir
    Path installations;

    @Test
    void missingBinariesFailWithInstallHint() {
        assertThatThrownBy(() -> PostgresServer.findBinaries(installations))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install the Debian package postgresql");
    }

    @Test
    void newestVersionChosen() throws IOException {
        for (String version : new String[] {"9", "15", "13"}) {
            Path bin = Files.createDirectories(installations.resolve(version).resolve("bin"));
            for (String program : new String[] {"initdb", "pg_ctl"}) {
                Files.createFile(bin.resolve(program)).toFile().setExecutable(true);
            }
        }

        assertThat(PostgresServer.findBinaries(installations)).isEqualTo(installations.resolve("15").resolve("bin"));
    }
}
