package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.weft.manager.store.ControlStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeCertificate;
import io.weft.manager.store.NodeControl;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.StoredEnrollmentToken;

/**
 * Behaviour of the control store that every supported database must show. Each test works on
 * a node of its own in one shared database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ControlStoreContract {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00.123Z");
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private StoreDatabase database;
    private JdbcFleetStore fleet;
    private ControlStore store;
    private String nodeId;
    private int nodes;

    /** Returns the settings of a new, empty database. */
    abstract StoreSettings newDatabase(String name) throws Exception;

    /** Returns the password of the databases, or null for none. */
    abstract String password();

    @BeforeAll
    void openDatabase() throws Exception {
        database = StoreDatabase.open(newDatabase("control"), password(), Clock.systemUTC());
        fleet = new JdbcFleetStore(database.pool(), Clock.systemUTC());
        store = new JdbcControlStore(database.pool());
        fleet.createDomain("acme.example", "");
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void createNode() {
        nodes++;
        Node node = fleet.createNode(new NodeSpec("n" + nodes, "acme.example", NodeRole.EDGE, Set.of(), Optional.empty(),
                ""));
        nodeId = node.id();
    }

    @Test
    void tokenIsFoundBySecretAndUsedOnce() {
        StoredEnrollmentToken created = store.createEnrollmentToken(nodeId, SHA_A.replace('a', '1'), "alice", NOW,
                NOW.plus(Duration.ofHours(24)));

        StoredEnrollmentToken found = store.findEnrollmentTokenBySecret(created.secretSha256()).orElseThrow();

        assertThat(found).isEqualTo(created);
        assertThat(found.isUsableAt(NOW)).isTrue();
        assertThat(store.useEnrollmentToken(created.id(), NOW.plusSeconds(5))).as("first use").isTrue();
        assertThat(store.useEnrollmentToken(created.id(), NOW.plusSeconds(6))).as("second use").isFalse();
        assertThat(store.listEnrollmentTokens(nodeId)).singleElement()
                .satisfies(token -> assertThat(token.usedAt()).contains(NOW.plusSeconds(5)));
    }

    @Test
    void cancelledTokensCannotBeUsed() {
        StoredEnrollmentToken first = store.createEnrollmentToken(nodeId, SHA_A.replace('a', '3'), "alice", NOW,
                NOW.plusSeconds(300));
        store.createEnrollmentToken(nodeId, SHA_A.replace('a', '4'), "alice", NOW, NOW.plusSeconds(300));
        store.useEnrollmentToken(first.id(), NOW);

        int cancelled = store.cancelEnrollmentTokens(nodeId, NOW.plusSeconds(1));

        assertThat(cancelled).as("unused tokens cancelled").isEqualTo(1);
        assertThat(store.listEnrollmentTokens(nodeId)).allSatisfy(token -> assertThat(token.usedAt()).isPresent());
    }

    @Test
    void tokenForUnknownNodeIsNotFound() {
        assertThatThrownBy(() -> store.createEnrollmentToken("00000000-0000-0000-0000-000000000000", SHA_B, "alice",
                NOW, NOW.plusSeconds(300))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void concurrentUsesLetExactlyOneWin() throws Exception {
        StoredEnrollmentToken token = store.createEnrollmentToken(nodeId, SHA_A.replace('a', '2'), "alice", NOW,
                NOW.plusSeconds(300));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> uses = IntStream.range(0, 4)
                    .mapToObj(i -> executor.submit(() -> store.useEnrollmentToken(token.id(), NOW))).toList();

            long winners = 0;
            for (Future<Boolean> use : uses) {
                winners += use.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void revokingMarksOnlyValidCertificates() {
        store.recordCertificate(NodeCertificate.issued("1f" + nodes, nodeId, NOW, NOW.plus(Duration.ofDays(30)), NOW));
        store.recordCertificate(NodeCertificate.issued("2f" + nodes, nodeId, NOW, NOW.plus(Duration.ofDays(30)), NOW));

        List<NodeCertificate> revoked = store.revokeCertificates(nodeId, NOW.plusSeconds(60), "superseded");
        List<NodeCertificate> again = store.revokeCertificates(nodeId, NOW.plusSeconds(120), "key_compromise");

        assertThat(revoked).extracting(NodeCertificate::serial).containsExactlyInAnyOrder("1f" + nodes, "2f" + nodes);
        assertThat(again).isEmpty();
        assertThat(store.findCertificate("1f" + nodes).orElseThrow().revocationReason()).contains("superseded");
        assertThat(store.listRevokedCertificates(NOW)).extracting(NodeCertificate::serial)
                .contains("1f" + nodes, "2f" + nodes);
        assertThat(store.listRevokedCertificates(NOW.plus(Duration.ofDays(31)))).extracting(NodeCertificate::serial)
                .as("expired certificates leave the list").doesNotContain("1f" + nodes);
    }

    @Test
    void countersIncreaseUnderConcurrency() throws Exception {
        long before = store.nextValue(ControlStore.DESIRED_STATE_REVISION);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> values = IntStream.range(0, 40)
                    .mapToObj(i -> executor.submit(() -> store.nextValue(ControlStore.DESIRED_STATE_REVISION))).toList();

            Set<Long> distinct = new java.util.HashSet<>();
            for (Future<Long> value : values) {
                distinct.add(value.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(40).allMatch(value -> value > before);
        } finally {
            executor.shutdownNow();
        }
        assertThatThrownBy(() -> store.nextValue("no_such_counter")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliedRevisionNeverMovesBack() {
        store.setDesiredState(nodeId, 7, SHA_A, NOW);
        store.recordApplied(nodeId, 7, NOW.plusSeconds(1), "0.1.0");

        store.recordApplied(nodeId, 5, NOW.plusSeconds(2), "0.1.0");
        NodeControl control = store.setDesiredState(nodeId, 9, SHA_B, NOW.plusSeconds(3));

        assertThat(control.desiredRevision()).isEqualTo(9);
        assertThat(control.desiredSha256()).isEqualTo(SHA_B);
        assertThat(control.appliedRevision()).isEqualTo(7);
        assertThat(control.weftVersion()).contains("0.1.0");
        assertThat(store.listNodeControl()).containsKey(nodeId);
    }

    @Test
    void rejectionIsRecordedAndClearedByApply() {
        store.setDesiredState(nodeId, 3, SHA_A, NOW);

        store.recordRejection(nodeId, "x".repeat(2000));
        NodeControl rejected = store.findNodeControl(nodeId).orElseThrow();
        store.recordApplied(nodeId, 3, NOW.plusSeconds(1), "0.1.0");

        assertThat(rejected.lastRejection()).hasValueSatisfying(
                reason -> assertThat(reason).hasSize(ControlStore.MAX_REASON_LENGTH));
        assertThat(store.findNodeControl(nodeId).orElseThrow().lastRejection()).isEmpty();
        assertThatThrownBy(() -> store.recordApplied("00000000-0000-0000-0000-000000000000", 1, NOW, "0.1.0"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void lastSeenMovesOnlyForward() {
        store.recordLastSeen(Map.of(nodeId, NOW.plusSeconds(10), "00000000-0000-0000-0000-000000000000", NOW));
        store.recordLastSeen(Map.of(nodeId, NOW));

        assertThat(fleet.findNode(nodeId).orElseThrow().lastSeen()).contains(NOW.plusSeconds(10));
    }
}
