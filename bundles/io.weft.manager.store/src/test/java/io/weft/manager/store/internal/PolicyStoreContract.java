package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.StoredPolicy;

/**
 * Behaviour of the policy store that every supported database must show. A subclass supplies
 * fresh databases of one product; the tests share one database and delete the policy before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PolicyStoreContract {

    private static final String FIRST = "{\"rules\":[]}";
    private static final String SECOND = "{\"rules\":[{\"id\":\"R1\"}]}";

    private StoreDatabase database;
    private PolicyStore store;
    private StoreTransactions transactions;

    /** Returns the settings of a new, empty database. */
    abstract StoreSettings newDatabase(String name) throws Exception;

    /** Returns the password of the databases, or null for none. */
    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("policy"), password(), Clock.systemUTC());
        store = new JdbcPolicyStore(database.pool(), Clock.systemUTC());
        transactions = new JdbcTransactions(database.pool());
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void deletePolicy() throws SQLException {
        database.pool().inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM weft_policy");
            }
            return null;
        });
    }

    @Test
    void policyBeforeFirstWriteIsEmpty() {
        assertThat(store.findPolicy()).isEmpty();
        assertThat(store.policyVersion()).isEqualTo(PolicyStore.EMPTY_VERSION);
    }

    @Test
    void firstWriteCreatesVersionOne() {
        StoredPolicy written = store.replacePolicy(PolicyStore.EMPTY_VERSION, FIRST);

        assertThat(written.version()).isEqualTo(1);
        assertThat(written.json()).isEqualTo(FIRST);
        assertThat(store.findPolicy()).contains(written);
        assertThat(store.policyVersion()).isEqualTo(1);
    }

    @Test
    void replaceIncrementsVersion() {
        store.replacePolicy(PolicyStore.EMPTY_VERSION, FIRST);

        StoredPolicy replaced = store.replacePolicy(1, SECOND);

        assertThat(replaced.version()).isEqualTo(2);
        assertThat(store.findPolicy().orElseThrow().json()).isEqualTo(SECOND);
    }

    @Test
    void staleVersionIsRejected() {
        store.replacePolicy(PolicyStore.EMPTY_VERSION, FIRST);
        store.replacePolicy(1, SECOND);

        assertThatThrownBy(() -> store.replacePolicy(1, FIRST))
                .isInstanceOfSatisfying(StaleVersionException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThat(store.findPolicy().orElseThrow().json()).as("document after the rejected write").isEqualTo(SECOND);
    }

    @Test
    void secondFirstWriteIsStale() {
        store.replacePolicy(PolicyStore.EMPTY_VERSION, FIRST);

        assertThatThrownBy(() -> store.replacePolicy(PolicyStore.EMPTY_VERSION, SECOND))
                .isInstanceOfSatisfying(StaleVersionException.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(1));
    }

    @Test
    void updateBeforeFirstWriteIsStale() {
        assertThatThrownBy(() -> store.replacePolicy(3, FIRST))
                .isInstanceOfSatisfying(StaleVersionException.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(PolicyStore.EMPTY_VERSION));
        assertThat(store.findPolicy()).isEmpty();
    }

    @Test
    void concurrentFirstWritesStoreOne() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<Future<StoredPolicy>> writers = new ArrayList<>();
        int stale = 0;
        try {
            for (String json : List.of(FIRST, SECOND)) {
                writers.add(executor.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.replacePolicy(PolicyStore.EMPTY_VERSION, json);
                }));
            }
            for (Future<StoredPolicy> writer : writers) {
                try {
                    assertThat(writer.get(30, TimeUnit.SECONDS).version()).isEqualTo(1);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(StaleVersionException.class);
                    stale++;
                }
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(stale).as("writers rejected as stale").isEqualTo(1);
        assertThat(store.policyVersion()).isEqualTo(1);
    }

    @Test
    void rolledBackTransactionKeepsPolicy() {
        store.replacePolicy(PolicyStore.EMPTY_VERSION, FIRST);

        assertThatThrownBy(() -> transactions.inTransaction(() -> {
            store.replacePolicy(1, SECOND);
            throw new IllegalStateException("the audit append failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.findPolicy().orElseThrow().json()).isEqualTo(FIRST);
        assertThat(store.policyVersion()).isEqualTo(1);
    }

    @Test
    void documentOfMaximumLengthIsKept() {
        String json = "{\"rules\":[],\"x\":\"" + "a".repeat(PolicyStore.MAX_POLICY_LENGTH - 19) + "\"}";
        assertThat(json.length()).isEqualTo(PolicyStore.MAX_POLICY_LENGTH);

        store.replacePolicy(PolicyStore.EMPTY_VERSION, json);

        assertThat(store.findPolicy().orElseThrow().json().equals(json)).as("stored document equals the written one")
                .isTrue();
    }

    @Test
    void oversizedOrEmptyDocumentIsRejected() {
        String oversized = "a".repeat(PolicyStore.MAX_POLICY_LENGTH + 1);

        assertThatThrownBy(() -> store.replacePolicy(PolicyStore.EMPTY_VERSION, oversized))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1048577 characters");
        assertThatThrownBy(() -> store.replacePolicy(PolicyStore.EMPTY_VERSION, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findPolicy()).isEmpty();
    }
}
