package io.weft.manager.store.internal.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * Brings a database schema to the latest of a list of {@link Migration}s.
 *
 * <p>The table {@value #HISTORY_TABLE} records each applied migration with its checksum.
 * Each pending migration runs in its own transaction together with its history row, so a
 * failed migration leaves no trace and the next start tries it again. (Derby and PostgreSQL
 * both roll back DDL.) Each transaction first locks the history table, so several managers
 * that start at once against one PostgreSQL database apply each migration exactly once.
 *
 * <p>Before applying anything, the runner rejects a database whose history does not match
 * the code: a migration changed after it was applied (checksum), a migration in the database
 * that the code does not contain (typically a database written by a newer release), or a
 * pending migration older than an applied one.
 *
 * <p>Scripts may contain placeholders {@code ${name}}, replaced per database product before
 * the script runs.
 */
public final class MigrationRunner {

    static final String HISTORY_TABLE = "weft_schema_version";

    /** Derby's and PostgreSQL's SQL states for a missing table. */
    private static final Set<String> UNDEFINED_TABLE = Set.of("42X05", "42P01");
    /**
     * SQL states for a table that exists already: Derby's, PostgreSQL's, and what PostgreSQL
     * raises instead when two sessions create the table at once: a unique violation, or
     * "type already exists" (duplicate object) for the table's row type.
     */
    private static final Set<String> DUPLICATE_TABLE = Set.of("X0Y32", "42P07", "23505", "42710");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    private final DataSource dataSource;
    private final SortedMap<Integer, Migration> migrations;
    private final Map<String, String> placeholders;
    private final Clock clock;

    /** Result of a run: the schema version and the migrations that this run applied. */
    public record Result(int schemaVersion, List<Migration> applied) {

        public Result {
            applied = List.copyOf(applied);
        }
    }

    /**
     * @throws IllegalArgumentException if two migrations have the same version
     */
    public MigrationRunner(DataSource dataSource, List<Migration> migrations, Map<String, String> placeholders,
            Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.migrations = index(migrations);
        this.placeholders = Map.copyOf(placeholders);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static SortedMap<Integer, Migration> index(List<Migration> migrations) {
        SortedMap<Integer, Migration> byVersion = new TreeMap<>();
        for (Migration migration : migrations) {
            Migration previous = byVersion.put(migration.version(), migration);
            if (previous != null) {
                throw new IllegalArgumentException("Two migrations have version " + migration.version() + ": "
                        + previous.label() + " and " + migration.label());
            }
        }
        return byVersion;
    }

    /**
     * Applies the pending migrations.
     *
     * @throws MigrationException if the database history does not match the migrations, or a
     *         migration fails
     */
    public Result migrate() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            createHistoryTableIfMissing(connection);

            List<Migration> applied = new ArrayList<>();
            int schemaVersion = inLockedTransaction(connection, MigrationRunner::latest);
            for (Migration migration : migrations.values()) {
                if (applyIfPending(connection, migration)) {
                    applied.add(migration);
                    schemaVersion = migration.version();
                }
            }
            return new Result(schemaVersion, applied);
        } catch (SQLException e) {
            throw new MigrationException("Failed to migrate the database schema: " + e.getMessage(), e);
        }
    }

    private boolean applyIfPending(Connection connection, Migration migration) throws SQLException {
        return inLockedTransaction(connection, history -> {
            if (history.containsKey(migration.version())) {
                return false;
            }
            runScript(connection, migration);
            recordApplied(connection, migration);
            return true;
        });
    }

    /** A step that runs while the history table is locked, given the verified history. */
    private interface LockedStep<T> {
        T run(SortedMap<Integer, String> history) throws SQLException;
    }

    private <T> T inLockedTransaction(Connection connection, LockedStep<T> step) throws SQLException {
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + HISTORY_TABLE + " IN EXCLUSIVE MODE");
            }
            SortedMap<Integer, String> history = readHistory(connection);
            verify(history);
            T result = step.run(history);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        }
    }

    private static void createHistoryTableIfMissing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT COUNT(*) FROM " + HISTORY_TABLE).close();
            connection.commit();
            return;
        } catch (SQLException e) {
            rollback(connection, e);
            if (!UNDEFINED_TABLE.contains(e.getSQLState())) {
                throw e;
            }
        }

        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + HISTORY_TABLE + " ("
                    + "version INTEGER NOT NULL, "
                    + "description VARCHAR(200) NOT NULL, "
                    + "checksum CHAR(64) NOT NULL, "
                    + "installed_at TIMESTAMP NOT NULL, "
                    + "CONSTRAINT " + HISTORY_TABLE + "_pk PRIMARY KEY (version))");
            connection.commit();
        } catch (SQLException e) {
            rollback(connection, e);
            // Another manager created the table between the check and the creation.
            if (!DUPLICATE_TABLE.contains(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static SortedMap<Integer, String> readHistory(Connection connection) throws SQLException {
        SortedMap<Integer, String> history = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum FROM " + HISTORY_TABLE)) {
            while (rows.next()) {
                history.put(rows.getInt(1), rows.getString(2).strip());
            }
        }
        return history;
    }

    private void verify(SortedMap<Integer, String> history) {
        int latestKnown = migrations.isEmpty() ? 0 : migrations.lastKey();
        int latestApplied = latest(history);
        for (Map.Entry<Integer, String> row : history.entrySet()) {
            verifyApplied(row.getKey(), row.getValue(), latestKnown, latestApplied);
        }
        for (Migration migration : migrations.headMap(latestApplied).values()) {
            if (!history.containsKey(migration.version())) {
                throw new MigrationException("Migration " + migration.label() + " is not applied, although the "
                        + "database is at schema version " + latestApplied + "; migrations must be applied in "
                        + "order, so give the new migration a version above " + latestApplied);
            }
        }
    }

    private void verifyApplied(int version, String checksum, int latestKnown, int latestApplied) {
        Migration migration = migrations.get(version);
        if (migration == null && version > latestKnown) {
            throw new MigrationException("The database schema is at version " + latestApplied
                    + ", newer than version " + latestKnown + " that this release supports; run a release that "
                    + "supports schema version " + latestApplied + ", or configure another database");
        }
        if (migration == null) {
            throw new MigrationException("The database has migration V" + version + " applied, which this release "
                    + "does not contain; restore that migration file");
        }
        if (!migration.checksum().equals(checksum)) {
            throw new MigrationException("Migration " + migration.label() + " changed after it was applied: "
                    + "checksum " + checksum + " in the database, " + migration.checksum() + " in this release; "
                    + "restore the applied script and put the change into a new migration");
        }
    }

    private void runScript(Connection connection, Migration migration) throws SQLException {
        List<String> statements = SqlScript.split(replacePlaceholders(migration));
        for (int i = 0; i < statements.size(); i++) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(statements.get(i));
            } catch (SQLException e) {
                throw new MigrationException("Migration " + migration.label() + " failed at statement " + (i + 1)
                        + " of " + statements.size() + " [" + firstLine(statements.get(i)) + "]: " + e.getMessage(),
                        e);
            }
        }
    }

    private String replacePlaceholders(Migration migration) {
        Matcher matcher = PLACEHOLDER.matcher(migration.script());
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = placeholders.get(matcher.group(1));
            if (value == null) {
                throw new MigrationException("Migration " + migration.label() + " uses the unknown placeholder "
                        + matcher.group() + "; known placeholders: " + new TreeMap<>(placeholders).keySet());
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private void recordApplied(Connection connection, Migration migration) throws SQLException {
        String sql = "INSERT INTO " + HISTORY_TABLE + " (version, description, checksum, installed_at) "
                + "VALUES (?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setString(3, migration.checksum());
            insert.setTimestamp(4, Timestamp.from(clock.instant()), Calendar.getInstance(TimeZone.getTimeZone("UTC")));
            insert.executeUpdate();
        }
    }

    private static int latest(SortedMap<Integer, String> history) {
        return history.isEmpty() ? 0 : history.lastKey();
    }

    private static String firstLine(String statement) {
        int end = statement.indexOf('\n');
        return end < 0 ? statement : statement.substring(0, end) + " ...";
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
