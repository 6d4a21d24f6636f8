package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoredFlow;

/**
 * Behaviour of the flow store that every supported database must show. A subclass supplies
 * fresh databases of one product; the tests share one database and delete the records before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlowStoreContract {

    private static final Instant START = Instant.parse("2026-01-31T12:00:00Z");
    private static final String A = "edge-a.east.acme.example";
    private static final String B = "edge-b.east.acme.example";
    private static final String C = "edge-c.west.acme.example";

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private StoreDatabase database;
    private JdbcFlowStore store;

    /** Returns the settings of a new, empty database. */
    abstract StoreSettings newDatabase(String name) throws Exception;

    /** Returns the password of the databases, or null for none. */
    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("flows"), password(), Clock.systemUTC());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        store = new JdbcFlowStore(database.pool(), clock);
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void deleteFlows() throws SQLException {
        now.set(START);
        database.pool().inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM weft_flow");
            }
            return null;
        });
    }

    @Test
    void repeatedBatchIsStoredOnce() {
        List<StoredFlow> batch = List.of(flow("node-a", 7, 1, A, B, "db", "allow"), flow("node-a", 7, 2, A, B, "db",
                "allow"));

        int first = store.appendFlows(batch);
        int again = store.appendFlows(List.of(batch.get(1), flow("node-a", 7, 3, A, B, "db", "allow")));
        int newEpoch = store.appendFlows(List.of(flow("node-a", 8, 1, A, B, "db", "allow")));

        assertThat(first).isEqualTo(2);
        assertThat(again).as("records stored from a batch that repeats sequence 2").isEqualTo(1);
        assertThat(newEpoch).as("sequence 1 of a new epoch").isEqualTo(1);
        assertThat(store.listFlows(FlowQuery.all()).items()).hasSize(4);
    }

    @Test
    void listsNewestFirstWithCursor() {
        for (int i = 1; i <= 5; i++) {
            store.appendFlows(List.of(flow("node-a", 1, i, A, B, "db-" + i, "allow")));
        }

        Page<StoredFlow> first = store.listFlows(FlowQuery.all().withLimit(2));
        Page<StoredFlow> second = store.listFlows(FlowQuery.all().withLimit(2)
                .after(Long.parseLong(first.nextCursor().orElseThrow())));
        Page<StoredFlow> last = store.listFlows(FlowQuery.all().withLimit(2)
                .after(Long.parseLong(second.nextCursor().orElseThrow())));

        assertThat(first.items()).extracting(StoredFlow::service).containsExactly("db-5", "db-4");
        assertThat(second.items()).extracting(StoredFlow::service).containsExactly("db-3", "db-2");
        assertThat(last.items()).extracting(StoredFlow::service).containsExactly("db-1");
        assertThat(last.nextCursor()).isEmpty();
    }

    @Test
    void filtersCombine() {
        store.appendFlows(List.of(flow("node-a", 1, 1, A, B, "db", "allow"), flow("node-a", 1, 2, A, B, "ssh", "deny"),
                flow("node-c", 1, 1, C, B, "db", "deny"), flow("node-c", 1, 2, C, A, "db", "allow")));

        assertThat(services(query(Optional.of(A), Optional.empty(), Optional.empty(), Optional.empty())))
                .containsExactlyInAnyOrder("db", "ssh");
        assertThat(services(query(Optional.empty(), Optional.of(B), Optional.of("db"), Optional.empty())))
                .hasSize(2);
        assertThat(services(query(Optional.empty(), Optional.of(B), Optional.empty(), Optional.of("deny"))))
                .containsExactlyInAnyOrder("ssh", "db");
        assertThat(store.listFlows(FlowQuery.all().inDomains(List.of("west.acme.example"))).items())
                .as("records with a node in west.acme.example").hasSize(2);
        assertThat(store.listFlows(FlowQuery.all().inDomains(List.of("north.acme.example"))).items()).isEmpty();
    }

    @Test
    void filtersByStartTime() {
        StoredFlow early = flow("node-a", 1, 1, A, B, "early", "allow");
        StoredFlow late = new StoredFlow(0, "node-a", 1, 2, "closed", "source", A, B, "late", 443, "allow",
                Optional.of("r1"), START.plusSeconds(60), 10, 1, 2, START);
        store.appendFlows(List.of(early, late));

        FlowQuery range = new FlowQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(START.plusSeconds(30)), Optional.of(START.plusSeconds(90)), List.of(), Optional.empty(),
                10);

        assertThat(services(range)).containsExactly("late");
    }

    @Test
    void pruneDeletesByAgeAndCount() {
        store.appendFlows(List.of(flow("node-a", 1, 1, A, B, "oldest", "allow")));
        now.set(START.plus(Duration.ofDays(2)));
        for (int i = 2; i <= 5; i++) {
            store.appendFlows(List.of(flow("node-a", 1, i, A, B, "s" + i, "allow")));
        }

        int deleted = store.pruneFlows(START.plus(Duration.ofDays(1)), 3);

        assertThat(deleted).as("one by age and one beyond the newest 3").isEqualTo(2);
        assertThat(services(FlowQuery.all())).containsExactly("s5", "s4", "s3");
    }

    @Test
    void storedRecordKeepsEveryField() {
        StoredFlow denied = new StoredFlow(0, "node-b", 3, 9, "denied", "destination", C, B, "db", 5432, "deny",
                Optional.empty(), START, 0, 0, 0, START);

        store.appendFlows(List.of(denied));
        StoredFlow read = store.listFlows(FlowQuery.all()).items().get(0);

        assertThat(read.id()).isPositive();
        assertThat(read).usingRecursiveComparison().ignoringFields("id").isEqualTo(denied);
    }

    @Test
    void storedCallRecordKeepsEveryField() {
        StoredFlow forwarded = call(1, "hello", "greet", Optional.of("client:ci"), Optional.of(A), 200);
        StoredFlow unauthenticated = call(2, "hello", "greet", Optional.empty(), Optional.empty(), 401);

        store.appendFlows(List.of(forwarded, unauthenticated));
        List<StoredFlow> read = store.listFlows(FlowQuery.all()).items();

        assertThat(read.get(1)).usingRecursiveComparison().ignoringFields("id").isEqualTo(forwarded);
        assertThat(read.get(0)).usingRecursiveComparison().ignoringFields("id").isEqualTo(unauthenticated);
        assertThat(read.get(1).kind()).isEqualTo(StoredFlow.CALL);
    }

    @Test
    void callFiltersCombine() {
        store.appendFlows(List.of(flow("node-a", 1, 1, A, B, "db", "allow"),
                call(2, "hello", "greet", Optional.of("client:ci"), Optional.empty(), 200),
                call(3, "hello", "greet", Optional.of("node:" + A), Optional.empty(), 200),
                call(4, "hello", "wave", Optional.of("client:ci"), Optional.empty(), 403),
                call(5, "sensor-feed", "greet", Optional.of("client:ci"), Optional.empty(), 200)));

        assertThat(sequences(FlowQuery.all().withCall(Optional.of("stream"), Optional.empty(), Optional.empty(),
                Optional.empty()))).as("streams").containsExactly(1L);
        assertThat(sequences(FlowQuery.all().withCall(Optional.of("call"), Optional.empty(), Optional.empty(),
                Optional.empty()))).as("calls").containsExactly(5L, 4L, 3L, 2L);
        assertThat(sequences(FlowQuery.all().withCall(Optional.empty(), Optional.of("hello"), Optional.empty(),
                Optional.empty()))).as("app hello").containsExactly(4L, 3L, 2L);
        assertThat(sequences(FlowQuery.all().withCall(Optional.empty(), Optional.empty(), Optional.of("greet"),
                Optional.empty()))).as("operation greet of any app").containsExactly(5L, 3L, 2L);
        assertThat(sequences(FlowQuery.all().withCall(Optional.empty(), Optional.of("hello"), Optional.of("greet"),
                Optional.of("client:ci")))).as("hello/greet by client:ci").containsExactly(2L);
    }

    private List<Long> sequences(FlowQuery query) {
        return store.listFlows(query).items().stream().map(StoredFlow::sequence).toList();
    }

    private static StoredFlow call(long sequence, String app, String operation, Optional<String> caller,
            Optional<String> via, int status) {
        String action = status == 401 || status == 403 ? "deny" : "allow";
        String event = action.equals("deny") ? "denied" : "closed";
        return new StoredFlow(0, "node-b", 1, sequence, event, "destination", A, B, "edge-api", 0, action,
                Optional.of("rule-" + sequence), START, 12, 34, 56, START,
                Optional.of(new StoredFlow.Call(app, operation, caller, via, status)));
    }

    private List<String> services(FlowQuery query) {
        return store.listFlows(query).items().stream().map(StoredFlow::service).toList();
    }

    private static FlowQuery query(Optional<String> source, Optional<String> destination, Optional<String> service,
            Optional<String> action) {
        return new FlowQuery(source, destination, service, action, Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), 100);
    }

    private static StoredFlow flow(String reporter, long epoch, long sequence, String source, String destination,
            String service, String action) {
        String event = action.equals("deny") ? "denied" : "closed";
        return new StoredFlow(0, reporter, epoch, sequence, event, "source", source, destination, service, 5432, action,
                action.equals("deny") ? Optional.empty() : Optional.of("allow-" + service), START, 1500, 100, 200,
                START);
    }
}
