package io.weft.manager.store.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void parsesVersionAndDescription() {
        Migration migration = Migration.of("V12__add_audit_log.sql", "CREATE TABLE a (x INT);");

        assertThat(migration.version()).isEqualTo(12);
        assertThat(migration.description()).isEqualTo("add audit log");
        assertThat(migration.label()).isEqualTo("V12 (add audit log)");
        assertThat(migration.checksum()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void checksumIgnoresLineEndingStyle() {
        Migration unix = Migration.of("V1__a.sql", "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n");
        Migration windows = Migration.of("V1__a.sql", "CREATE TABLE a (x INT);\r\nCREATE TABLE b (y INT);\r\n");

        assertThat(windows.checksum()).isEqualTo(unix.checksum());
    }

    @Test
    void checksumChangesWithContent() {
        assertThat(Migration.of("V1__a.sql", "CREATE TABLE a (x INT);").checksum())
                .isNotEqualTo(Migration.of("V1__a.sql", "CREATE TABLE a (x BIGINT);").checksum());
    }

    @Test
    void rejectsInvalidFileNames() {
        for (String name : new String[] {"V0__zero.sql", "V1_single_underscore.sql", "1__no_prefix.sql",
                "V1__dash-name.sql", "V1__a.txt", "v1__lower.sql"}) {
            assertThatThrownBy(() -> Migration.of(name, ""))
                    .as("file name %s", name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid migration file name '" + name + "'");
        }
    }
}
