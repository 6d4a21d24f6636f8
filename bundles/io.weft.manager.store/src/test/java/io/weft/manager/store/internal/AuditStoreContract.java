package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.audit.AuditVerification;
import io.weft.manager.audit.AuditVerifier;
import io.weft.manager.audit.BrokenLink;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.Page;

/**
 * Behaviour of the audit store that every supported database must show. A subclass supplies
 * fresh databases of one product; the tests share one database and empty the log before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditStoreContract {

    private StoreDatabase database;
    private AuditStore store;

    /** Returns the settings of a new, empty database. */
    abstract StoreSettings newDatabase(String name) throws Exception;

    /** Returns the password of the databases, or null for none. */
    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("audit"), password(), Clock.systemUTC());
        store = new JdbcAuditStore(database.pool(), Clock.systemUTC());
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyLog() throws SQLException {
        database.pool().inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM weft_audit_entry");
            }
            return null;
        });
    }

    @Test
    void emptyLogHeadIsGenesis() {
        assertThat(store.head()).isEqualTo(AuditAnchor.GENESIS);
        assertThat(store.entries()).isEmpty();
        assertThat(AuditVerifier.verify(store.entries()).isIntact()).isTrue();
    }

    @Test
    void appendedEntriesVerifyIntact() {
        List<AuditEntry> appended = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            appended.add(store.append(event("alice", "node.update", "gw" + i + ".acme.example")));
        }

        AuditVerification verification = AuditVerifier.verify(store.entries());

        assertThat(verification.firstBroken()).isEmpty();
        assertThat(verification.entriesChecked()).isEqualTo(200);
        assertThat(verification.lastIntact()).isEqualTo(store.head());
        assertThat(store.entries()).containsExactlyElementsOf(appended);
    }

    @Test
    void concurrentAppendsFormOneChain() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<Future<?>> writers = new ArrayList<>();

        try {
            for (String actor : List.of("alice", "bob")) {
                writers.add(executor.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < 100; i++) {
                        store.append(event(actor, "domain.update", actor + i + ".acme.example"));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        AuditVerification verification = AuditVerifier.verify(store.entries());
        assertThat(verification.firstBroken()).isEmpty();
        assertThat(verification.entriesChecked()).isEqualTo(200);
        assertThat(store.entries()).extracting(AuditEntry::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(store.entries()).filteredOn(entry -> entry.actor().equals("bob")).hasSize(100);
    }

    @Test
    void appendsInOneTransactionCommitTogether() {
        JdbcTransactions transactions = new JdbcTransactions(database.pool());

        transactions.inTransaction(() -> {
            store.append(event("alice", "domain.create", "acme.example"));
            return store.append(event("alice", "domain.create", "east.acme.example"));
        });

        assertThat(store.entries()).extracting(AuditEntry::target).containsExactly("acme.example", "east.acme.example");
        assertThat(AuditVerifier.verify(store.entries()).isIntact()).isTrue();
    }

    @Test
    void failedTransactionLeavesNoEntry() {
        store.append(event("alice", "domain.create", "acme.example"));
        JdbcTransactions transactions = new JdbcTransactions(database.pool());

        assertThatThrownBy(() -> transactions.inTransaction(() -> {
            store.append(event("alice", "domain.create", "east.acme.example"));
            throw new IllegalStateException("the change after the entry failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.entries()).extracting(AuditEntry::target).containsExactly("acme.example");
        assertThat(store.append(event("bob", "domain.delete", "acme.example")).sequence()).isEqualTo(2);
        assertThat(AuditVerifier.verify(store.entries()).isIntact()).isTrue();
    }

    @Test
    void tamperedRowDetectedAtItsSequence() throws SQLException {
        for (int i = 1; i <= 10; i++) {
            store.append(event("alice", "node.update", "gw" + i + ".acme.example"));
        }

        database.pool().inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE weft_audit_entry SET target = ? WHERE sequence = ?")) {
                update.setString(1, "innocent.acme.example");
                update.setLong(2, 7);
                return update.executeUpdate();
            }
        });
        AuditVerification verification = AuditVerifier.verify(store.entries());

        assertThat(verification.entriesChecked()).isEqualTo(6);
        assertThat(verification.firstBroken()).hasValueSatisfying(broken -> {
            assertThat(broken.sequence()).isEqualTo(7);
            assertThat(broken.problem()).isEqualTo(BrokenLink.Problem.CHANGED_ENTRY);
        });
    }

    @Test
    void deletedRowDetectedAtItsSequence() throws SQLException {
        for (int i = 1; i <= 5; i++) {
            store.append(event("alice", "node.delete", "gw" + i + ".acme.example"));
        }

        database.pool().inTransaction(connection -> {
            try (Statement delete = connection.createStatement()) {
                return delete.executeUpdate("DELETE FROM weft_audit_entry WHERE sequence = 3");
            }
        });

        assertThat(AuditVerifier.verify(store.entries()).firstBroken()).hasValueSatisfying(broken -> {
            assertThat(broken.sequence()).isEqualTo(3);
            assertThat(broken.problem()).isEqualTo(BrokenLink.Problem.MISSING_ENTRY);
        });
    }

    @Test
    void statesReadBackByteIdentical() {
        String before = "{ \"name\" :\t\"Zoë ✓ 東京 \uD83D\uDE80\",\n  \"n\": 1.50,  \"escaped\": \"\\u00e9\\n\" }";
        String after = "[1,2 ,  3]";
        String large = "{\"blob\": \"" + "ab\u00e9\uD83D\uDE00".repeat(50_000) + "\"}";

        AuditEntry spaced = store.append(new AuditEvent("alice", "2001:db8::1", "profile.update", "acme.example",
                before, after));
        AuditEntry created = store.append(new AuditEvent("alice", null, "profile.create", "acme.example", null, large));
        AuditEntry deleted = store.append(new AuditEvent("system", null, "profile.delete", "acme.example", after, null));

        assertThat(store.entries()).containsExactly(spaced, created, deleted);
        AuditEntry read = store.entries().iterator().next();
        assertThat(read.before()).isEqualTo(before);
        assertThat(read.after()).isEqualTo(after);
        assertThat(AuditVerifier.verify(store.entries()).isIntact()).isTrue();
    }

    @Test
    void timeKeepsMicroseconds() {
        AuditEntry appended = store.append(event("alice", "node.update", "gw1.acme.example"));

        AuditEntry read = store.entries().iterator().next();

        assertThat(read.time()).isEqualTo(appended.time());
        assertThat(read.time().getNano() % 1000).isZero();
    }

    @Test
    void listFiltersCombine() {
        store.append(event("alice", "node.update", "gw1.east.acme.example"));
        store.append(event("bob", "node.update", "gw2.east.acme.example"));
        store.append(event("alice", "node.delete", "gw3.east.acme.example"));
        store.append(event("alice", "node.update", "gw1.west.acme.example"));
        store.append(event("alice", "node.update", "gw1_east.acme.example"));

        assertThat(sequences(AuditQuery.all().byActor("alice"))).containsExactly(1L, 3L, 4L, 5L);
        assertThat(sequences(AuditQuery.all().byAction("node.update").byActor("alice"))).containsExactly(1L, 4L, 5L);
        assertThat(sequences(AuditQuery.all().byTargetPrefix("gw1."))).containsExactly(1L, 4L);
        assertThat(sequences(AuditQuery.all().byTargetPrefix("gw1_"))).as("'_' matched literally").containsExactly(5L);
        assertThat(sequences(AuditQuery.all().byTargetPrefix("%"))).as("'%' matched literally").isEmpty();
    }

    @Test
    void listFiltersByTimeRange() {
        Instant base = Instant.parse("2031-05-06T07:08:09.123456Z");
        MutableClock clock = new MutableClock(base);
        AuditStore timed = new JdbcAuditStore(database.pool(), clock);
        for (int i = 0; i < 5; i++) {
            clock.now = base.plusSeconds(i);
            timed.append(event("alice", "node.update", "gw" + i + ".acme.example"));
        }

        Page<AuditEntry> page = timed.listEntries(AuditQuery.all().between(base.plusSeconds(1), base.plusSeconds(3)));

        assertThat(page.items()).extracting(AuditEntry::sequence).containsExactly(2L, 3L);
        assertThat(page.items().get(0).time()).isEqualTo(base.plusSeconds(1));
    }

    @Test
    void listPagesBySequenceInBothOrders() {
        for (int i = 1; i <= 5; i++) {
            store.append(event("alice", "node.update", "gw" + i + ".acme.example"));
        }

        Page<AuditEntry> first = store.listEntries(AuditQuery.all().withLimit(2));
        Page<AuditEntry> second = store.listEntries(AuditQuery.all().withLimit(2).after(first.nextCursor().orElseThrow()));
        Page<AuditEntry> newest = store.listEntries(AuditQuery.all().inNewestFirstOrder().withLimit(3));
        Page<AuditEntry> oldest = store.listEntries(
                AuditQuery.all().inNewestFirstOrder().withLimit(3).after(newest.nextCursor().orElseThrow()));

        assertThat(first.items()).extracting(AuditEntry::sequence).containsExactly(1L, 2L);
        assertThat(second.items()).extracting(AuditEntry::sequence).containsExactly(3L, 4L);
        assertThat(newest.items()).extracting(AuditEntry::sequence).containsExactly(5L, 4L, 3L);
        assertThat(oldest.items()).extracting(AuditEntry::sequence).containsExactly(2L, 1L);
        assertThat(oldest.nextCursor()).isEmpty();
    }

    @Test
    void entriesReadAcrossExportPages() {
        int count = JdbcAuditStore.EXPORT_PAGE_SIZE + 3;
        for (int i = 0; i < count; i++) {
            store.append(event("alice", "node.update", "gw" + i + ".acme.example"));
        }

        AuditVerification verification = AuditVerifier.verify(store.entries());

        assertThat(verification.firstBroken()).isEmpty();
        assertThat(verification.entriesChecked()).isEqualTo(count);
    }

    @Test
    void invalidCursorRejected() {
        assertThatThrownBy(() -> store.listEntries(AuditQuery.all().after("x; DROP TABLE weft_audit_entry")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid audit cursor");
    }

    private List<Long> sequences(AuditQuery query) {
        return store.listEntries(query).items().stream().map(AuditEntry::sequence).toList();
    }

    private static AuditEvent event(String actor, String action, String target) {
        return new AuditEvent(actor, "192.0.2.10", action, target, "{\"description\": \"old\"}",
                "{\"description\": \"new\"}");
    }

    /** A clock that the test sets. */
    private static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
