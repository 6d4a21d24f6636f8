package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.fleet.DomainName;
import io.weft.manager.access.ApiToken;
import io.weft.manager.access.Grant;
import io.weft.manager.access.Role;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.Domain;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.Operator;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoredApiToken;
import io.weft.manager.store.internal.migration.MigrationRunner;

/**
 * Behaviour of the access store that every supported database must show, and the migration of
 * a database created at schema version 1. A subclass supplies fresh databases of one product.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessStoreContract {

    /** A PHC string of the right form; the store never checks the hash itself. */
    private static final String HASH = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
    private static final String OTHER_HASH = "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNo";
    private static final Grant FLEET_ADMIN = Grant.fleetWide(Role.ADMIN);
    private static final Instant ISSUED = Instant.parse("2030-01-02T03:04:05Z");

    private StoreDatabase database;
    private AccessStore store;

    /** Returns the settings of a new, empty database. */
    abstract StoreSettings newDatabase(String name) throws Exception;

    /** Returns the password of the databases, or null for none. */
    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("access"), password(), Clock.systemUTC());
        store = new JdbcAccessStore(database.pool(), Clock.systemUTC());
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        database.pool().inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM weft_operator");
            }
            return null;
        });
    }

    // --- operators ---------------------------------------------------------------------

    @Test
    void operatorCreateReadUpdateDelete() {
        Set<Grant> grants = Set.of(Grant.within(Role.OPERATOR, DomainName.of("east.acme.example")),
                Grant.fleetWide(Role.VIEWER));
        Operator created = store.createOperator("alice", HASH, grants);

        Operator updated = store.updatePassword("alice", created.version(), OTHER_HASH);

        assertThat(created.version()).isEqualTo(1);
        assertThat(created.disabled()).isFalse();
        assertThat(created.grants()).isEqualTo(grants);
        assertThat(updated.passwordHash()).isEqualTo(OTHER_HASH);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        assertThat(store.findOperator("alice")).contains(updated);

        store.deleteOperator("alice", updated.version());

        assertThat(store.findOperator("alice")).isEmpty();
    }

    @Test
    void operatorListOrderedByName() {
        store.createOperator("bob", HASH, Set.of(Grant.fleetWide(Role.VIEWER)));
        store.createOperator("alice", HASH, Set.of());

        List<Operator> operators = store.listOperators();

        assertThat(operators).extracting(Operator::name).containsExactly("alice", "bob");
        assertThat(operators.get(1).grants()).containsExactly(Grant.fleetWide(Role.VIEWER));
    }

    @Test
    void operatorDuplicateRejected() {
        store.createOperator("alice", HASH, Set.of());

        assertThatThrownBy(() -> store.createOperator("alice", OTHER_HASH, Set.of()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.DUPLICATE))
                .hasMessage("operator 'alice' already exists");
    }

    @Test
    void operatorNameNotNormalizedRejected() {
        assertThatThrownBy(() -> store.createOperator("Alice", HASH, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in lower case");
    }

    @Test
    void operatorToStringOmitsPasswordHash() {
        Operator created = store.createOperator("alice", HASH, Set.of());

        assertThat(created.toString()).contains("alice").doesNotContain(HASH).doesNotContain("argon2id");
    }

    @Test
    void operatorStaleVersionsRejected() {
        store.createOperator("admin", HASH, Set.of(FLEET_ADMIN));
        Operator alice = store.createOperator("alice", HASH, Set.of());
        store.updatePassword("alice", alice.version(), OTHER_HASH);
        long stale = alice.version();

        List<Runnable> changes = List.of(
                () -> store.updatePassword("alice", stale, HASH),
                () -> store.setDisabled("alice", stale, true),
                () -> store.replaceGrants("alice", stale, Set.of(FLEET_ADMIN)),
                () -> store.deleteOperator("alice", stale));

        for (Runnable change : changes) {
            assertThatThrownBy(change::run)
                    .isInstanceOfSatisfying(StaleVersionException.class, e -> {
                        assertThat(e.expectedVersion()).isEqualTo(1);
                        assertThat(e.actualVersion()).isEqualTo(2);
                    })
                    .hasMessageContaining("operator 'alice' is at version 2, not at 1");
        }
        assertThat(store.findOperator("alice").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void operatorMissingNotFound() {
        assertThatThrownBy(() -> store.updatePassword("nobody", 1, HASH)).isInstanceOf(NotFoundException.class)
                .hasMessage("operator 'nobody' not found");
        assertThatThrownBy(() -> store.deleteOperator("nobody", 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.setDisabled("nobody", 1, true)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.replaceGrants("nobody", 1, Set.of())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void grantsReplacedAsWholeWithVersion() {
        Operator created = store.createOperator("alice", HASH, Set.of(Grant.fleetWide(Role.VIEWER)));
        Set<Grant> replacement = Set.of(Grant.within(Role.ADMIN, DomainName.of("plant1.east.acme.example")),
                Grant.within(Role.OPERATOR, DomainName.of("west.acme.example")));

        Operator updated = store.replaceGrants("alice", created.version(), replacement);

        assertThat(updated.grants()).isEqualTo(replacement);
        assertThat(updated.version()).isEqualTo(created.version() + 1);
        assertThat(store.findOperator("alice").orElseThrow().grants()).isEqualTo(replacement);
    }

    @Test
    void disableAndEnableRoundTrip() {
        store.createOperator("admin", HASH, Set.of(FLEET_ADMIN));
        Operator alice = store.createOperator("alice", HASH, Set.of(FLEET_ADMIN));

        Operator disabled = store.setDisabled("alice", alice.version(), true);
        Operator enabled = store.setDisabled("alice", disabled.version(), false);

        assertThat(disabled.disabled()).isTrue();
        assertThat(disabled.grants()).containsExactly(FLEET_ADMIN);
        assertThat(enabled.disabled()).isFalse();
        assertThat(enabled.version()).isEqualTo(3);
    }

    // --- last admin --------------------------------------------------------------------

    @Test
    void lastAdminNotDeletedDisabledOrDemoted() {
        Operator admin = store.createOperator("admin", HASH, Set.of(FLEET_ADMIN));
        long version = admin.version();

        assertLastAdmin(() -> store.deleteOperator("admin", version));
        assertLastAdmin(() -> store.setDisabled("admin", version, true));
        assertLastAdmin(() -> store.replaceGrants("admin", version, Set.of(Grant.fleetWide(Role.OPERATOR))));
        assertLastAdmin(() -> store.replaceGrants("admin", version,
                Set.of(Grant.within(Role.ADMIN, DomainName.of("acme.example")))));
        assertThat(store.findOperator("admin")).contains(admin);
    }

    @Test
    void lastAdminKeepsOtherGrantChanges() {
        Operator admin = store.createOperator("admin", HASH, Set.of(FLEET_ADMIN));

        Operator updated = store.replaceGrants("admin", admin.version(),
                Set.of(FLEET_ADMIN, Grant.fleetWide(Role.VIEWER)));

        assertThat(updated.grants()).containsExactlyInAnyOrder(FLEET_ADMIN, Grant.fleetWide(Role.VIEWER));
    }

    @Test
    void adminRemovedWhenAnotherEnabledAdminRemains() {
        Operator first = store.createOperator("first", HASH, Set.of(FLEET_ADMIN));
        store.createOperator("second", HASH, Set.of(FLEET_ADMIN));

        store.deleteOperator("first", first.version());

        assertThat(store.findOperator("first")).isEmpty();
        Operator second = store.findOperator("second").orElseThrow();
        assertLastAdmin(() -> store.deleteOperator("second", second.version()));
    }

    @Test
    void disabledAdminNotCountedAsRemaining() {
        Operator first = store.createOperator("first", HASH, Set.of(FLEET_ADMIN));
        Operator second = store.createOperator("second", HASH, Set.of(FLEET_ADMIN));
        store.setDisabled("second", second.version(), true);

        assertLastAdmin(() -> store.setDisabled("first", first.version(), true));
        assertLastAdmin(() -> store.deleteOperator("first", first.version()));
    }

    @Test
    void nonAdminChangesNeverGuarded() {
        Operator viewer = store.createOperator("viewer", HASH, Set.of(Grant.fleetWide(Role.VIEWER)));

        Operator disabled = store.setDisabled("viewer", viewer.version(), true);
        store.deleteOperator("viewer", disabled.version());

        assertThat(store.listOperators()).isEmpty();
    }

    @Test
    void concurrentDemotionsLeaveOneAdmin() throws Exception {
        Operator first = store.createOperator("first", HASH, Set.of(FLEET_ADMIN));
        Operator second = store.createOperator("second", HASH, Set.of(FLEET_ADMIN));
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<Future<Operator>> demotions = new ArrayList<>();

        try {
            for (Operator admin : List.of(first, second)) {
                Callable<Operator> demotion = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return store.replaceGrants(admin.name(), admin.version(), Set.of(Grant.fleetWide(Role.VIEWER)));
                };
                demotions.add(executor.submit(demotion));
            }
            int succeeded = 0;
            int rejected = 0;
            for (Future<Operator> demotion : demotions) {
                try {
                    demotion.get(60, TimeUnit.SECONDS);
                    succeeded++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfSatisfying(ConflictException.class,
                            conflict -> assertThat(conflict.reason()).isEqualTo(ConflictException.Reason.LAST_ADMIN));
                    rejected++;
                }
            }

            assertThat(succeeded).as("demotions that succeeded").isEqualTo(1);
            assertThat(rejected).as("demotions rejected as removing the last admin").isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
        assertThat(store.listOperators()).filteredOn(operator -> operator.grants().contains(FLEET_ADMIN)).hasSize(1);
    }

    private static void assertLastAdmin(Runnable change) {
        assertThatThrownBy(change::run)
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.LAST_ADMIN))
                .hasMessageContaining("the last enabled operator with the admin role over the whole fleet");
    }

    // --- API tokens --------------------------------------------------------------------

    @Test
    void tokenCreateFindRevokeRoundTrip() {
        store.createOperator("alice", HASH, Set.of());
        ApiToken token = token("0123456789abcdef", "alice");

        StoredApiToken created = store.createToken(token);
        StoredApiToken revoked = store.revokeToken(token.id());

        assertThat(created).isEqualTo(new StoredApiToken(token, Optional.empty()));
        assertThat(revoked.token()).isEqualTo(token.revoke());
        assertThat(revoked.token().createdAt()).isEqualTo(ISSUED);
        assertThat(revoked.token().expiresAt()).isEqualTo(ISSUED.plus(30, ChronoUnit.DAYS));
        assertThat(store.findToken(token.id())).contains(revoked);
        assertThat(store.revokeToken(token.id())).as("revoking again").isEqualTo(revoked);
    }

    @Test
    void tokenLastUseOnlyMovesForward() {
        store.createOperator("alice", HASH, Set.of());
        ApiToken token = token("0123456789abcdef", "alice");
        store.createToken(token);
        Instant later = ISSUED.plusSeconds(3600).plusMillis(250);

        store.recordTokenUse(token.id(), later);
        store.recordTokenUse(token.id(), ISSUED.plusSeconds(60));

        assertThat(store.findToken(token.id()).orElseThrow().lastUsedAt()).contains(later);
    }

    @Test
    void tokensListedByOwner() {
        store.createOperator("alice", HASH, Set.of());
        store.createOperator("bob", HASH, Set.of());
        ApiToken first = token("00000000000000a1", "alice");
        ApiToken second = new ApiToken("00000000000000a2", "alice", "b".repeat(64), ISSUED.plusSeconds(1),
                ISSUED.plusSeconds(2), true);
        store.createToken(second);
        store.createToken(first);
        store.createToken(token("00000000000000b1", "bob"));

        List<StoredApiToken> tokens = store.listTokens("alice");

        assertThat(tokens).extracting(StoredApiToken::token).containsExactly(first, second);
        assertThat(store.listTokens("carol")).isEmpty();
    }

    @Test
    void tokenDuplicateIdRejected() {
        store.createOperator("alice", HASH, Set.of());
        store.createToken(token("0123456789abcdef", "alice"));

        assertThatThrownBy(() -> store.createToken(token("0123456789abcdef", "alice")))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.DUPLICATE))
                .hasMessageContaining("API token 0123456789abcdef already exists");
    }

    @Test
    void tokenOfUnknownOwnerRejected() {
        assertThatThrownBy(() -> store.createToken(token("0123456789abcdef", "nobody")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("operator 'nobody' not found");
    }

    @Test
    void tokenUnknownOrMalformedIdNotFound() {
        assertThat(store.findToken("0123456789abcdef")).isEmpty();
        assertThat(store.findToken("'; DROP TABLE weft_api_token; --")).isEmpty();
        assertThat(store.findToken(null)).isEmpty();
        assertThatThrownBy(() -> store.revokeToken("0123456789abcdef")).isInstanceOf(NotFoundException.class)
                .hasMessage("API token '0123456789abcdef' not found");
        assertThatThrownBy(() -> store.recordTokenUse("xyz", ISSUED)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tokensDeletedWithOwner() {
        Operator alice = store.createOperator("alice", HASH, Set.of());
        store.createToken(token("0123456789abcdef", "alice"));

        store.deleteOperator("alice", alice.version());

        assertThat(store.findToken("0123456789abcdef")).isEmpty();
    }

    private static ApiToken token(String id, String owner) {
        return new ApiToken(id, owner, "a".repeat(64), ISSUED, ISSUED.plus(30, ChronoUnit.DAYS), false);
    }

    // --- migration ---------------------------------------------------------------------

    @Test
    void migrationFromVersion1KeepsFleetData() throws Exception {
        StoreSettings settings = newDatabase("upgrade");
        DataSource dataSource = DataSources.create(settings.jdbcUrl(), settings.user(), password());
        new MigrationRunner(dataSource, FleetSchema.migrations().subList(0, 1),
                settings.dialect().migrationPlaceholders(), Clock.systemUTC()).migrate();
        // Fleet data written by the SQL of the version 1 store, which the current store still uses.
        ConnectionPool versionOnePool = new ConnectionPool(dataSource, 1, Duration.ofSeconds(30));
        JdbcFleetStore versionOne = new JdbcFleetStore(versionOnePool, Clock.systemUTC());
        Domain domain = versionOne.createDomain("acme.example", "kept");
        String nodeId = versionOne.createNode(NodeSpec.of("gw1", "acme.example", NodeRole.GATEWAY)).id();
        versionOnePool.close();

        try (StoreDatabase upgraded = StoreDatabase.open(settings, password(), Clock.systemUTC())) {
            JdbcFleetStore fleet = new JdbcFleetStore(upgraded.pool(), Clock.systemUTC());
            JdbcAccessStore access = new JdbcAccessStore(upgraded.pool(), Clock.systemUTC());

            assertThat(upgraded.migration().applied()).extracting(m -> m.version())
                    .as("every migration after version 1").first().isEqualTo(2);
            assertThat(upgraded.migration().applied()).hasSize(FleetSchema.FILES.size() - 1);
            assertThat(fleet.findDomain("acme.example")).contains(domain);
            assertThat(fleet.findNode(nodeId)).map(node -> node.name()).contains("gw1");
            assertThat(access.createOperator("admin", HASH, Set.of(FLEET_ADMIN)).version()).isEqualTo(1);
        }
    }
}
