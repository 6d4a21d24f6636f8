package io.weft.manager.store.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs migrations against a new in-memory Derby database per test. */
class MigrationRunnerTest {

    private static final Migration CREATE_A = Migration.of("V1__create_a.sql", "CREATE TABLE a (x INT);");
    private static final Migration CREATE_B = Migration.of("V2__create_b.sql",
            "CREATE TABLE b (y ${text_type});\nINSERT INTO b VALUES ('semi;colon');");

    private final String databaseName = "memory:migrations-" + UUID.randomUUID();
    private final EmbeddedDataSource dataSource = dataSource(databaseName, "create=true");

    @AfterEach
    void dropDatabase() {
        try {
            dataSource(databaseName, "drop=true").getConnection().close();
        } catch (SQLException e) {
            // Derby reports a dropped database with an exception (SQL state 08006).
        }
    }

    @Test
    void appliesPendingMigrationsInOrder() throws SQLException {
        MigrationRunner.Result result = runner(CREATE_B, CREATE_A).migrate();

        assertThat(result.applied()).containsExactly(CREATE_A, CREATE_B);
        assertThat(result.schemaVersion()).isEqualTo(2);
        assertThat(history()).containsExactly("1 create a " + CREATE_A.checksum(), "2 create b " + CREATE_B.checksum());
        assertThat(query("SELECT y FROM b")).containsExactly("semi;colon");
    }

    @Test
    void secondRunAppliesNothing() throws SQLException {
        runner(CREATE_A, CREATE_B).migrate();

        MigrationRunner.Result again = runner(CREATE_A, CREATE_B).migrate();

        assertThat(again.applied()).isEmpty();
        assertThat(again.schemaVersion()).isEqualTo(2);
        assertThat(history()).hasSize(2);
    }

    @Test
    void appliesOnlyNewMigrations() {
        runner(CREATE_A).migrate();

        MigrationRunner.Result result = runner(CREATE_A, CREATE_B).migrate();

        assertThat(result.applied()).containsExactly(CREATE_B);
    }

    @Test
    void failedMigrationLeavesNoTrace() throws SQLException {
        Migration broken = Migration.of("V2__broken.sql", "CREATE TABLE c (z INT);\nCREATE TABLE a (x INT);");
        runner(CREATE_A).migrate();

        assertThatThrownBy(() -> runner(CREATE_A, broken).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration V2 (broken) failed at statement 2 of 2 [CREATE TABLE a (x INT)]");

        assertThat(history()).hasSize(1);
        assertThat(tables()).doesNotContain("C");
    }

    @Test
    void changedChecksumRejected() {
        runner(CREATE_A).migrate();
        Migration edited = Migration.of("V1__create_a.sql", "CREATE TABLE a (x BIGINT);");

        assertThatThrownBy(() -> runner(edited, CREATE_B).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration V1 (create a) changed after it was applied: checksum "
                        + CREATE_A.checksum() + " in the database, " + edited.checksum() + " in this release");
    }

    @Test
    void newerDatabaseRejected() {
        runner(CREATE_A, CREATE_B).migrate();

        assertThatThrownBy(() -> runner(CREATE_A).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessage("The database schema is at version 2, newer than version 1 that this release supports; "
                        + "run a release that supports schema version 2, or configure another database");
    }

    @Test
    void missingAppliedMigrationRejected() {
        Migration third = Migration.of("V3__c.sql", "CREATE TABLE c (z INT);");
        runner(CREATE_A, CREATE_B, third).migrate();

        assertThatThrownBy(() -> runner(CREATE_A, third).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("The database has migration V2 applied, which this release does not contain");
    }

    @Test
    void pendingMigrationBelowAppliedRejected() {
        Migration third = Migration.of("V3__c.sql", "CREATE TABLE c (z INT);");
        runner(CREATE_A, third).migrate();

        assertThatThrownBy(() -> runner(CREATE_A, CREATE_B, third).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration V2 (create b) is not applied, although the database is at "
                        + "schema version 3");
    }

    @Test
    void unknownPlaceholderRejected() {
        Migration unknown = Migration.of("V1__unknown.sql", "CREATE TABLE a (x ${no_such_type});");

        assertThatThrownBy(() -> runner(unknown).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessage("Migration V1 (unknown) uses the unknown placeholder ${no_such_type}; known "
                        + "placeholders: [text_type]");
    }

    @Test
    void duplicateVersionsRejected() {
        Migration other = Migration.of("V1__other.sql", "CREATE TABLE o (x INT);");

        assertThatThrownBy(() -> runner(CREATE_A, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Two migrations have version 1: V1 (create a) and V1 (other)");
    }

    private MigrationRunner runner(Migration... migrations) {
        return new MigrationRunner(dataSource, List.of(migrations), Map.of("text_type", "VARCHAR(100)"),
                Clock.systemUTC());
    }

    private List<String> history() throws SQLException {
        return query("SELECT version, description, checksum FROM weft_schema_version ORDER BY version");
    }

    private List<String> tables() throws SQLException {
        return query("SELECT tablename FROM sys.systables WHERE tabletype = 'T'");
    }

    private List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            int columns = row.getMetaData().getColumnCount();
            while (row.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(row.getString(i).strip());
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    private static EmbeddedDataSource dataSource(String databaseName, String attributes) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(databaseName);
        dataSource.setConnectionAttributes(attributes);
        return dataSource;
    }
}
