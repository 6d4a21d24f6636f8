package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.manager.store.AppStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoredApp;
import io.weft.manager.store.StoredDeployment;

/**
 * Behaviour of the app store that every supported database must show. A subclass supplies a
 * fresh database of one product; the tests share it and empty the app tables before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppStoreContract {

    private static final Instant TIME = Instant.parse("2026-12-01T10:00:00Z");

    private StoreDatabase database;
    private AppStore store;

    abstract StoreSettings newDatabase(String name) throws Exception;

    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("apps"), password(), Clock.systemUTC());
        store = new JdbcAppStore(database.pool(), Clock.systemUTC());
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void deleteApps() throws SQLException {
        database.pool().inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM weft_deployment");
                statement.executeUpdate("DELETE FROM weft_app_version");
            }
            return null;
        });
    }

    @Test
    void insertedAppIsFound() {
        StoredApp inserted = store.insertApp(app("org.example.hello", "1.0.0"));

        assertThat(inserted).isEqualTo(app("org.example.hello", "1.0.0"));
        assertThat(store.findApp("org.example.hello", "1.0.0")).contains(inserted);
        assertThat(store.findApp("org.example.hello", "2.0.0")).isEmpty();
        assertThat(store.listApps()).containsExactly(inserted);
    }

    @Test
    void sameVersionTwiceIsDuplicate() {
        store.insertApp(app("org.example.hello", "1.0.0"));

        assertThatThrownBy(() -> store.insertApp(app("org.example.hello", "1.0.0")))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.DUPLICATE))
                .hasMessageContaining("versions are immutable");
    }

    @Test
    void deployedVersionCannotBeDeleted() {
        store.insertApp(app("org.example.hello", "1.0.0"));
        store.insertDeployment(deployment("d1", "1.0.0"));

        assertThatThrownBy(() -> store.deleteApp("org.example.hello", "1.0.0"))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.IN_USE));
    }

    @Test
    void unusedVersionIsDeleted() {
        store.insertApp(app("org.example.hello", "1.0.0"));

        store.deleteApp("org.example.hello", "1.0.0");

        assertThat(store.listApps()).isEmpty();
        assertThatThrownBy(() -> store.deleteApp("org.example.hello", "1.0.0")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deploymentOfMissingAppIsRejected() {
        assertThatThrownBy(() -> store.insertDeployment(deployment("d1", "9.9.9")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.entity()).isEqualTo("app"));
    }

    @Test
    void deploymentUpdateIncrementsVersion() {
        store.insertApp(app("org.example.hello", "1.0.0"));
        store.insertApp(app("org.example.hello", "1.1.0"));
        StoredDeployment created = store.insertDeployment(deployment("d1", "1.0.0"));

        StoredDeployment updated = store.updateDeployment(1, new StoredDeployment("d1", "org.example.hello", "1.1.0",
                Optional.of("1.0.0"), "{\"target\":{}}", StoredDeployment.HALTED, Optional.of("3 nodes failed"), 0,
                TIME, TIME));

        assertThat(created.version()).isEqualTo(1);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.previousVersion()).contains("1.0.0");
        assertThat(updated.stateReason()).contains("3 nodes failed");
        assertThat(store.listDeployments()).containsExactly(updated);
        assertThatThrownBy(() -> store.updateDeployment(1, updated)).isInstanceOf(StaleVersionException.class);
    }

    @Test
    void deploymentDeleteChecksVersion() {
        store.insertApp(app("org.example.hello", "1.0.0"));
        store.insertDeployment(deployment("d1", "1.0.0"));

        assertThatThrownBy(() -> store.deleteDeployment("d1", 7)).isInstanceOf(StaleVersionException.class);
        store.deleteDeployment("d1", 1);

        assertThat(store.findDeployment("d1")).isEmpty();
        assertThatThrownBy(() -> store.deleteDeployment("d1", 1)).isInstanceOf(NotFoundException.class);
    }

    private static StoredApp app(String name, String version) {
        return new StoredApp(name, version, "ab".repeat(32), 2048, "MIIB", "alice",
                TIME.truncatedTo(ChronoUnit.MILLIS));
    }

    private static StoredDeployment deployment(String id, String version) {
        return new StoredDeployment(id, "org.example.hello", version, Optional.empty(), "{\"target\":{}}",
                StoredDeployment.ACTIVE, Optional.empty(), 0, TIME, TIME);
    }
}
