package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.manager.store.ConflictException;
import io.weft.manager.store.Domain;
import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.Page;
import io.weft.manager.store.ProfileDocument;
import io.weft.manager.store.ProfileOwner;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.internal.migration.Migration;
import io.weft.manager.store.internal.migration.MigrationException;

/**
 * Behaviour of the store that every supported database must show. A subclass supplies fresh
 * databases of one product; the tests of a class share one database and empty its tables
 * before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FleetStoreContract {

    private static final String SQL_INJECTION = "'; DROP TABLE weft_node; --";

    private StoreDatabase database;
    private FleetStore store;

    /** Returns the settings of a new, empty database. */
    abstract StoreSettings newDatabase(String name) throws Exception;

    /** Returns the password of the databases, or null for none. */
    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("store"), password(), Clock.systemUTC());
        store = new JdbcFleetStore(database.pool(), Clock.systemUTC());
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
                statement.executeUpdate("DELETE FROM weft_node");
                statement.executeUpdate("DELETE FROM weft_domain");
            }
            return null;
        });
    }

    // --- domains -----------------------------------------------------------------------

    @Test
    void domainCreateReadUpdateDelete() {
        Domain created = store.createDomain("east.acme.example", "East coast");

        Domain updated = store.updateDomain("east.acme.example", created.version(), "East coast plants");

        assertThat(created.version()).isEqualTo(1);
        assertThat(store.findDomain("east.acme.example")).contains(updated);
        assertThat(updated.description()).isEqualTo("East coast plants");
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(created.updatedAt());

        store.deleteDomain("east.acme.example", updated.version());

        assertThat(store.findDomain("east.acme.example")).isEmpty();
    }

    @Test
    void domainDuplicateRejected() {
        store.createDomain("acme.example", "");

        assertThatThrownBy(() -> store.createDomain("acme.example", "again"))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.DUPLICATE))
                .hasMessage("domain 'acme.example' already exists");
    }

    @Test
    void domainWithSubdomainNotDeleted() {
        Domain parent = store.createDomain("acme.example", "");
        store.createDomain("plant1.east.acme.example", "");

        assertThatThrownBy(() -> store.deleteDomain("acme.example", parent.version()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.NOT_EMPTY))
                .hasMessageContaining("it has 1 subdomains and 0 nodes");
        assertThat(store.findDomain("acme.example")).isPresent();
    }

    @Test
    void domainWithNodeNotDeleted() {
        Domain domain = store.createDomain("acme.example", "");
        store.createNode(NodeSpec.of("gw1", "acme.example", NodeRole.GATEWAY));

        assertThatThrownBy(() -> store.deleteDomain("acme.example", domain.version()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.NOT_EMPTY))
                .hasMessageContaining("it has 0 subdomains and 1 nodes");
    }

    @Test
    void domainDeleteIgnoresSuffixSibling() {
        Domain domain = store.createDomain("acme.example", "");
        store.createDomain("notacme.example", "");

        store.deleteDomain("acme.example", domain.version());

        assertThat(store.findDomain("acme.example")).isEmpty();
        assertThat(store.findDomain("notacme.example")).isPresent();
    }

    @Test
    void domainStaleVersionRejected() {
        Domain created = store.createDomain("acme.example", "");
        store.updateDomain("acme.example", created.version(), "changed by another operator");

        assertThatThrownBy(() -> store.updateDomain("acme.example", created.version(), "mine"))
                .isInstanceOfSatisfying(StaleVersionException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThatThrownBy(() -> store.deleteDomain("acme.example", created.version()))
                .isInstanceOf(StaleVersionException.class);
        assertThat(store.findDomain("acme.example").orElseThrow().description())
                .isEqualTo("changed by another operator");
    }

    @Test
    void domainMissingReportedAsNotFound() {
        assertThatThrownBy(() -> store.updateDomain("missing.example", 1, ""))
                .isInstanceOf(NotFoundException.class).hasMessage("domain 'missing.example' not found");
        assertThatThrownBy(() -> store.deleteDomain("missing.example", 1))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void domainInvalidNameRejected() {
        for (String name : List.of("", "Acme.example", "-acme.example", "acme..example", "acme_example.com",
                "a".repeat(64) + ".example", "%.example")) {
            assertThatThrownBy(() -> store.createDomain(name, ""))
                    .as("domain name '%s'", name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid domain name");
        }
    }

    @Test
    void domainListFiltersSubtreeAndPages() {
        for (String name : List.of("acme.example", "east.acme.example", "plant1.east.acme.example",
                "west.acme.example", "other.example", "xacme.example")) {
            store.createDomain(name, "");
        }

        List<String> subtree = names(store.listDomains(DomainQuery.all().inSubtree("acme.example")));
        List<String> pages = allDomainPages(DomainQuery.all().withLimit(2));

        assertThat(subtree).containsExactly("acme.example", "east.acme.example", "plant1.east.acme.example",
                "west.acme.example");
        assertThat(pages).containsExactly("acme.example", "east.acme.example", "other.example",
                "plant1.east.acme.example", "west.acme.example", "xacme.example");
    }

    // --- nodes -------------------------------------------------------------------------

    @Test
    void nodeCreateReadUpdateDelete() {
        store.createDomain("east.acme.example", "");
        store.createDomain("west.acme.example", "");
        NodeSpec spec = NodeSpec.of("gw1", "east.acme.example", NodeRole.GATEWAY)
                .withTags(Set.of("rack-2", "camera")).withCluster("ingest").withDescription("Rack 2");

        Node created = store.createNode(spec);

        assertThat(created.id()).matches("[0-9a-f-]{36}");
        assertThat(created.fullName()).isEqualTo("gw1.east.acme.example");
        assertThat(created.tags()).containsExactly("camera", "rack-2");
        assertThat(created.cluster()).contains("ingest");
        assertThat(created.state()).isEqualTo(NodeState.CREATED);
        assertThat(created.lastSeen()).isEmpty();
        assertThat(created.version()).isEqualTo(1);
        assertThat(store.findNode(created.id())).contains(created);
        assertThat(store.findNodeByName("east.acme.example", "gw1")).contains(created);

        NodeSpec moved = new NodeSpec("edge7", "west.acme.example", NodeRole.EDGE, Set.of("camera"), Optional.empty(),
                "");
        Node updated = store.updateNode(created.id(), created.version(), moved);

        assertThat(updated.spec()).isEqualTo(moved);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(store.findNodeByName("east.acme.example", "gw1")).isEmpty();
        assertThat(store.findNode(created.id())).contains(updated);

        store.deleteNode(created.id(), updated.version());

        assertThat(store.findNode(created.id())).isEmpty();
    }

    @Test
    void nodeInMissingDomainRejected() {
        assertThatThrownBy(() -> store.createNode(NodeSpec.of("gw1", "missing.example", NodeRole.GATEWAY)))
                .isInstanceOf(NotFoundException.class).hasMessage("domain 'missing.example' not found");
    }

    @Test
    void nodeDuplicateNameInDomainRejected() {
        store.createDomain("acme.example", "");
        store.createDomain("other.example", "");
        store.createNode(NodeSpec.of("gw1", "acme.example", NodeRole.GATEWAY));
        Node sibling = store.createNode(NodeSpec.of("gw2", "acme.example", NodeRole.GATEWAY));
        Node other = store.createNode(NodeSpec.of("gw1", "other.example", NodeRole.GATEWAY));

        assertThatThrownBy(() -> store.createNode(NodeSpec.of("gw1", "acme.example", NodeRole.EDGE)))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.DUPLICATE))
                .hasMessage("domain 'acme.example' already has a node named 'gw1'");
        assertThatThrownBy(() -> store.updateNode(sibling.id(), sibling.version(), sibling.spec().withName("gw1")))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.updateNode(other.id(), other.version(),
                NodeSpec.of("gw1", "acme.example", NodeRole.EDGE)))
                .isInstanceOf(ConflictException.class);
        assertThat(store.findNode(sibling.id()).orElseThrow().name()).isEqualTo("gw2");
        assertThat(store.findNode(other.id()).orElseThrow().domain()).isEqualTo("other.example");
    }

    @Test
    void nodeStateChangeIncrementsVersion() {
        store.createDomain("acme.example", "");
        Node created = store.createNode(NodeSpec.of("edge1", "acme.example", NodeRole.EDGE));

        Node enrolled = store.updateNodeState(created.id(), created.version(), NodeState.ENROLLED);
        Node revoked = store.updateNodeState(enrolled.id(), enrolled.version(), NodeState.REVOKED);

        assertThat(enrolled.state()).isEqualTo(NodeState.ENROLLED);
        assertThat(revoked.state()).isEqualTo(NodeState.REVOKED);
        assertThat(revoked.version()).isEqualTo(3);
        assertThatThrownBy(() -> store.updateNodeState(created.id(), created.version(), NodeState.ENROLLED))
                .isInstanceOf(StaleVersionException.class);
    }

    @Test
    void lastSeenNeverMovesBack() {
        store.createDomain("acme.example", "");
        Node created = store.createNode(NodeSpec.of("edge1", "acme.example", NodeRole.EDGE));
        Instant later = Instant.parse("2026-03-29T01:30:00.123Z");

        store.recordLastSeen(created.id(), later);
        store.recordLastSeen(created.id(), later.minusSeconds(60));

        Node seen = store.findNode(created.id()).orElseThrow();
        assertThat(seen.lastSeen()).contains(later);
        assertThat(seen.version()).isEqualTo(created.version());
        assertThatThrownBy(() -> store.recordLastSeen("00000000-0000-0000-0000-000000000000", later))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void nodeMissingReportedAsNotFound() {
        String unknownId = "00000000-0000-0000-0000-000000000000";

        assertThat(store.findNode(unknownId)).isEmpty();
        assertThat(store.findNode("not-an-id")).isEmpty();
        assertThatThrownBy(() -> store.deleteNode(unknownId, 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.updateNodeState("not-an-id", 1, NodeState.REVOKED))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void concurrentUpdatersExactlyOneWins() throws Exception {
        store.createDomain("acme.example", "");
        Node node = store.createNode(NodeSpec.of("edge1", "acme.example", NodeRole.EDGE));
        int writers = 6;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService executor = Executors.newFixedThreadPool(writers);

        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String description = "writer " + i;
                outcomes.add(executor.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        store.updateNode(node.id(), node.version(), node.spec().withDescription(description));
                        return true;
                    } catch (StaleVersionException e) {
                        return false;
                    }
                }));
            }
        } finally {
            executor.shutdown();
        }

        int winners = 0;
        for (Future<Boolean> outcome : outcomes) {
            winners += outcome.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        Node stored = store.findNode(node.id()).orElseThrow();
        assertThat(winners).as("updates accepted out of %d based on version 1", writers).isEqualTo(1);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.description()).startsWith("writer ");
    }

    @Test
    void sqlLookingTextStoredVerbatim() {
        Domain domain = store.createDomain("acme.example", SQL_INJECTION);
        Node node = store.createNode(NodeSpec.of("edge1", "acme.example", NodeRole.EDGE)
                .withDescription(SQL_INJECTION + " \\' \" %_ \u00e9\u6f22"));
        String json = "{\"description\": \"" + SQL_INJECTION + "\", \"quote\": \"'\"}";
        ProfileDocument profile = store.createProfile(ProfileOwner.domain("acme.example"), json);

        assertThat(store.findDomain("acme.example").orElseThrow().description()).isEqualTo(domain.description())
                .isEqualTo(SQL_INJECTION);
        assertThat(store.findNode(node.id()).orElseThrow().description())
                .isEqualTo(SQL_INJECTION + " \\' \" %_ \u00e9\u6f22");
        assertThat(store.findProfile(ProfileOwner.domain("acme.example")).orElseThrow().json()).isEqualTo(json)
                .isEqualTo(profile.json());
        assertThat(store.listNodes(NodeQuery.all()).items()).hasSize(1);
    }

    @Test
    void nodeListReadsTagsOfLargePage() {
        List<Node> nodes = createFleet(250);
        Map<String, Set<String>> expected = new HashMap<>();
        nodes.forEach(node -> expected.put(node.fullName(), node.tags()));

        List<Node> listed = store.listNodes(NodeQuery.all().withLimit(NodeQuery.MAX_LIMIT)).items();

        assertThat(listed).hasSize(250);
        for (Node node : listed) {
            assertThat(node.tags()).as("tags of %s", node.fullName()).isEqualTo(expected.get(node.fullName()));
        }
    }

    @Test
    void nodeListFiltersAndPagesThousandsOfNodes() {
        List<Node> nodes = createFleet(3000);

        List<NodeQuery> queries = List.of(
                NodeQuery.all(),
                NodeQuery.all().inSubtree("east.acme.example"),
                NodeQuery.all().inSubtree("plant1.east.acme.example"),
                NodeQuery.all().withTag("camera"),
                NodeQuery.all().withTag("camera").withTag("gpu"),
                NodeQuery.all().withRole(NodeRole.GATEWAY),
                NodeQuery.all().withState(NodeState.ENROLLED),
                NodeQuery.all().inSubtree("acme.example").withTag("gpu").withRole(NodeRole.EDGE)
                        .withState(NodeState.ENROLLED));
        for (NodeQuery query : queries) {
            List<String> expected = nodes.stream().filter(matches(query)).map(Node::fullName).sorted().toList();

            List<String> actual = allNodePages(query.withLimit(97));

            assertThat(actual).as("full names listed for %s", query).isEqualTo(expected);
        }
    }

    @Test
    void nodeListRejectsOversizedCursor() {
        assertThatThrownBy(() -> store.listNodes(NodeQuery.all().after("x".repeat(400))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid cursor");
    }

    // --- profiles ----------------------------------------------------------------------

    @Test
    void profileCrudOnDomainAndNode() {
        store.createDomain("acme.example", "");
        Node node = store.createNode(NodeSpec.of("edge1", "acme.example", NodeRole.EDGE));
        String large = "{\"pids\": \"" + "x".repeat(200_000) + "\"}";

        for (ProfileOwner owner : List.of(ProfileOwner.domain("acme.example"), ProfileOwner.node(node.id()))) {
            ProfileDocument created = store.createProfile(owner, "{}");
            ProfileDocument updated = store.updateProfile(owner, created.version(), large);

            assertThat(created.version()).as("version of new profile of %s", owner).isEqualTo(1);
            assertThat(store.findProfile(owner)).as("profile of %s", owner).contains(updated);
            assertThat(updated.version()).isEqualTo(2);
            assertThat(updated.json()).isEqualTo(large);
            assertThatThrownBy(() -> store.createProfile(owner, "{}"))
                    .as("second profile of %s", owner).isInstanceOfSatisfying(ConflictException.class,
                            e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.DUPLICATE));
            assertThatThrownBy(() -> store.updateProfile(owner, created.version(), "{}"))
                    .isInstanceOf(StaleVersionException.class);

            store.deleteProfile(owner, updated.version());

            assertThat(store.findProfile(owner)).isEmpty();
            assertThatThrownBy(() -> store.deleteProfile(owner, updated.version()))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void profileOfMissingOwnerRejected() {
        assertThatThrownBy(() -> store.createProfile(ProfileOwner.domain("missing.example"), "{}"))
                .isInstanceOf(NotFoundException.class).hasMessage("domain 'missing.example' not found");
        assertThatThrownBy(() -> store.createProfile(ProfileOwner.node("00000000-0000-0000-0000-000000000000"), "{}"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void profileDeletedWithItsOwner() {
        Domain domain = store.createDomain("acme.example", "");
        Node node = store.createNode(NodeSpec.of("edge1", "acme.example", NodeRole.EDGE));
        store.createProfile(ProfileOwner.node(node.id()), "{\"a\": 1}");
        store.createProfile(ProfileOwner.domain("acme.example"), "{\"b\": 2}");

        store.deleteNode(node.id(), node.version());
        store.deleteDomain("acme.example", domain.version());

        assertThat(store.findProfile(ProfileOwner.node(node.id()))).isEmpty();
        assertThat(store.findProfile(ProfileOwner.domain("acme.example"))).isEmpty();
    }

    // --- migrations --------------------------------------------------------------------

    @Test
    void migrationsAppliedOnceAndIdempotentOnRestart() throws Exception {
        StoreSettings settings = newDatabase("restart");
        List<Integer> versions = FleetSchema.migrations().stream().map(Migration::version).toList();

        try (StoreDatabase first = StoreDatabase.open(settings, password(), Clock.systemUTC())) {
            assertThat(first.migration().applied()).extracting(Migration::version).isEqualTo(versions);
            new JdbcFleetStore(first.pool(), Clock.systemUTC()).createDomain("acme.example", "kept");
        }
        try (StoreDatabase second = StoreDatabase.open(settings, password(), Clock.systemUTC())) {
            assertThat(second.migration().applied()).isEmpty();
            assertThat(second.migration().schemaVersion()).isEqualTo(versions.get(versions.size() - 1));
            assertThat(historyRows(second)).isEqualTo(versions.size());
            assertThat(new JdbcFleetStore(second.pool(), Clock.systemUTC()).findDomain("acme.example"))
                    .map(Domain::description).contains("kept");
        }
    }

    @Test
    void concurrentStartsMigrateOnce() throws Exception {
        StoreSettings settings = newDatabase("concurrent");
        int migrations = FleetSchema.migrations().size();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<Future<StoreDatabase>> starts = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                starts.add(executor.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return StoreDatabase.open(settings, password(), Clock.systemUTC());
                }));
            }
        } finally {
            executor.shutdown();
        }

        List<StoreDatabase> opened = new ArrayList<>();
        try {
            for (Future<StoreDatabase> started : starts) {
                opened.add(started.get(60, TimeUnit.SECONDS));
            }
            int applied = opened.stream().mapToInt(database -> database.migration().applied().size()).sum();

            assertThat(applied).as("migrations applied by two managers that start at once").isEqualTo(migrations);
            assertThat(historyRows(opened.get(0))).isEqualTo(migrations);
        } finally {
            opened.forEach(StoreDatabase::close);
        }
    }

    @Test
    void databaseNewerThanReleaseRejected() throws Exception {
        StoreSettings settings = newDatabase("newer");
        try (StoreDatabase first = StoreDatabase.open(settings, password(), Clock.systemUTC())) {
            first.pool().inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO weft_schema_version (version, description, checksum, "
                            + "installed_at) VALUES (99, 'from the future', '" + "0".repeat(64)
                            + "', CURRENT_TIMESTAMP)");
                }
                return null;
            });
        }

        assertThatThrownBy(() -> StoreDatabase.open(settings, password(), Clock.systemUTC()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("schema is at version 99, newer than version");
    }

    // --- helpers -----------------------------------------------------------------------

    /**
     * Creates domains acme.example (with east, plant1.east and west below it) and
     * other.example, and spreads the nodes over them with a mix of tags, roles and states.
     */
    private List<Node> createFleet(int count) {
        List<String> domains = List.of("acme.example", "east.acme.example", "plant1.east.acme.example",
                "west.acme.example", "other.example");
        domains.forEach(domain -> store.createDomain(domain, ""));

        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Set<String> tags = new java.util.TreeSet<>();
            if (i % 3 == 0) {
                tags.add("camera");
            }
            if (i % 5 == 0) {
                tags.add("gpu");
            }
            NodeRole role = i % 10 == 0 ? NodeRole.GATEWAY : NodeRole.EDGE;
            Node node = store.createNode(new NodeSpec("n" + i, domains.get(i % domains.size()), role, tags,
                    Optional.empty(), ""));
            if (i % 4 == 0) {
                node = store.updateNodeState(node.id(), node.version(), NodeState.ENROLLED);
            }
            nodes.add(node);
        }
        return nodes;
    }

    private static Predicate<Node> matches(NodeQuery query) {
        return node -> query.subtree().map(root -> node.domain().equals(root) || node.domain().endsWith("." + root))
                .orElse(true)
                && node.tags().containsAll(query.tags())
                && query.role().map(role -> node.role() == role).orElse(true)
                && query.state().map(state -> node.state() == state).orElse(true);
    }

    private List<String> allNodePages(NodeQuery firstPage) {
        List<String> fullNames = new ArrayList<>();
        NodeQuery query = firstPage;
        while (true) {
            Page<Node> page = store.listNodes(query);
            assertThat(page.items().size()).as("size of a page of %s", query).isLessThanOrEqualTo(query.limit());
            page.items().forEach(node -> fullNames.add(node.fullName()));
            if (page.nextCursor().isEmpty()) {
                return fullNames;
            }
            query = query.after(page.nextCursor().get());
        }
    }

    private List<String> allDomainPages(DomainQuery firstPage) {
        List<String> names = new ArrayList<>();
        DomainQuery query = firstPage;
        while (true) {
            Page<Domain> page = store.listDomains(query);
            names.addAll(names(page));
            if (page.nextCursor().isEmpty()) {
                return names;
            }
            query = query.after(page.nextCursor().get());
        }
    }

    private static List<String> names(Page<Domain> page) {
        return page.items().stream().map(Domain::name).toList();
    }

    private static int historyRows(StoreDatabase database) throws SQLException {
        return database.pool().inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM weft_schema_version")) {
                row.next();
                return row.getInt(1);
            }
        });
    }
}
