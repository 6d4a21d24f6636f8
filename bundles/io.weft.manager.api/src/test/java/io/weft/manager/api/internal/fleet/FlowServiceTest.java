package io.weft.manager.api.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.ForbiddenException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoredFlow;

/** Filters, pages and read scopes of the flow listing, on the real store in embedded Derby. */
class FlowServiceTest {

    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);
    private static final Caller EAST_VIEWER = Callers.within("east-viewer", Role.VIEWER, "east.flows.example");
    private static final Caller NORTH_VIEWER = Callers.within("north-viewer", Role.VIEWER, "north.flows.example");
    private static final String EAST_A = "a.east.flows.example";
    private static final String EAST_B = "b.east.flows.example";
    private static final String WEST_C = "c.west.flows.example";
    private static final Instant START = Instant.parse("2026-01-31T12:00:00Z");

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static FlowService flows;

    @BeforeAll
    static void recordFlows() {
        derby = new DerbyStore(folder);
        flows = new FlowService(derby.flowStore());
        derby.flowStore().appendFlows(List.of(
                flow(1, EAST_A, EAST_B, "db", "allow", START),
                flow(2, WEST_C, EAST_B, "db", "deny", START.plusSeconds(10)),
                flow(3, WEST_C, WEST_C, "ssh", "allow", START.plusSeconds(20))));
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void fleetWideCallerSeesEveryRecord() {
        Page<StoredFlow> page = flows.list(ADMIN, filter(null, null, null, null, null, null, null));

        assertThat(page.items()).extracting(StoredFlow::sequence).containsExactly(3L, 2L, 1L);
    }

    @Test
    void scopedCallerSeesRecordsTouchingItsDomains() {
        Page<StoredFlow> page = flows.list(EAST_VIEWER, filter(null, null, null, null, null, null, null));

        assertThat(page.items()).extracting(StoredFlow::sequence).containsExactly(2L, 1L);
    }

    @Test
    void callerWithoutRecordsInScopeSeesNone() {
        assertThat(flows.list(NORTH_VIEWER, filter(null, null, null, null, null, null, null)).items()).isEmpty();
    }

    @Test
    void filtersAndPagesCombine() {
        Page<StoredFlow> denied = flows.list(ADMIN, filter(WEST_C, EAST_B, "db", "DENY", null, null, null));
        Page<StoredFlow> ranged = flows.list(ADMIN, filter(null, null, null, null, START.plusSeconds(5).toString(),
                START.plusSeconds(15).toString(), null));
        Page<StoredFlow> first = flows.list(ADMIN, filter(null, null, null, null, null, null, "2"));
        Page<StoredFlow> second = flows.list(ADMIN, new FlowService.Filter(null, null, null, null, null, null, null,
                null, null, null, first.nextCursor().orElseThrow(), "2"));

        assertThat(denied.items()).extracting(StoredFlow::sequence).containsExactly(2L);
        assertThat(ranged.items()).extracting(StoredFlow::sequence).containsExactly(2L);
        assertThat(first.items()).extracting(StoredFlow::sequence).containsExactly(3L, 2L);
        assertThat(second.items()).extracting(StoredFlow::sequence).containsExactly(1L);
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void callFiltersSelectCallRecords() {
        try (DerbyStore calls = new DerbyStore(folder.resolve("calls"))) {
            FlowService service = new FlowService(calls.flowStore());
            calls.flowStore().appendFlows(List.of(flow(1, EAST_A, EAST_B, "db", "allow", START),
                    call(2, "hello", "greet", "client:ci", 200),
                    call(3, "hello", "greet", "node:" + EAST_A, 200),
                    call(4, "sensor-feed", "readings", "client:ci", 403)));

            assertThat(service.list(ADMIN, callFilter("CALL", null, null, null)).items())
                    .extracting(StoredFlow::sequence).as("kind call").containsExactly(4L, 3L, 2L);
            assertThat(service.list(ADMIN, callFilter("stream", null, null, null)).items())
                    .extracting(StoredFlow::sequence).as("kind stream").containsExactly(1L);
            assertThat(service.list(ADMIN, callFilter(null, "hello", "greet", null)).items())
                    .extracting(StoredFlow::sequence).as("hello/greet").containsExactly(3L, 2L);
            assertThat(service.list(ADMIN, callFilter(null, null, null, "client:ci")).items())
                    .extracting(StoredFlow::sequence).as("caller client:ci").containsExactly(4L, 2L);
            assertThat(service.list(ADMIN, callFilter(null, null, null, "node:" + EAST_A)).items())
                    .extracting(StoredFlow::sequence).as("caller node").containsExactly(3L);
        }
    }

    @Test
    void invalidCallFiltersAreRejected() {
        assertThatThrownBy(() -> flows.list(ADMIN, callFilter("rpc", null, null, null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("send stream or call");
        assertThatThrownBy(() -> flows.list(ADMIN, callFilter(null, "bad app!", null, null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("Invalid app 'bad app!'");
        assertThatThrownBy(() -> flows.list(ADMIN, callFilter(null, null, "hello/greet", null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("without the app");
        assertThatThrownBy(() -> flows.list(ADMIN, callFilter(null, null, null, "ci")))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("client:ci-deployer");
        assertThatThrownBy(() -> flows.list(ADMIN, callFilter(null, null, null, "node:not a name")))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("Invalid caller");
    }

    @Test
    void invalidFiltersAreRejected() {
        assertThatThrownBy(() -> flows.list(ADMIN, filter(null, null, null, "maybe", null, null, null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("send allow or deny");
        assertThatThrownBy(() -> flows.list(ADMIN, filter(null, null, null, null, "yesterday", null, null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> flows.list(ADMIN, new FlowService.Filter(null, null, null, null, null, null, null,
                null, null, null, "x1", null))).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("nextCursor");
        assertThatThrownBy(() -> flows.list(ADMIN, filter("not a name", null, null, null, null, null, null)))
                .isInstanceOf(InvalidFieldException.class);
        assertThatThrownBy(() -> flows.list(ADMIN, filter(null, null, null, null, START.plusSeconds(5).toString(),
                START.toString(), null))).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("time range is empty");
    }

    @Test
    void callerWithoutReadGrantIsForbidden() {
        Caller none = Callers.within("nobody", Role.VIEWER);

        assertThatThrownBy(() -> flows.list(none, filter(null, null, null, null, null, null, null)))
                .isInstanceOf(ForbiddenException.class);
    }

    private static FlowService.Filter filter(String source, String destination, String service, String action,
            String from, String to, String limit) {
        return new FlowService.Filter(source, destination, service, action, null, null, null, null, from, to, null,
                limit);
    }

    private static FlowService.Filter callFilter(String kind, String app, String operation, String caller) {
        return new FlowService.Filter(null, null, null, null, kind, app, operation, caller, null, null, null, null);
    }

    private static StoredFlow call(long sequence, String app, String operation, String caller, int status) {
        String action = status == 403 ? "deny" : "allow";
        return new StoredFlow(0, "node-2", 1, sequence, action.equals("deny") ? "denied" : "closed", "destination",
                EAST_A, EAST_B, "edge-api", 0, action, Optional.of("r-" + operation), START, 10, 1, 2, START,
                Optional.of(new StoredFlow.Call(app, operation, Optional.of(caller), Optional.empty(), status)));
    }

    private static StoredFlow flow(long sequence, String source, String destination, String service, String action,
            Instant startedAt) {
        return new StoredFlow(0, "node-1", 1, sequence, action.equals("deny") ? "denied" : "closed", "source", source,
                destination, service, 5432, action, action.equals("deny") ? Optional.empty() : Optional.of("r-" + service),
                startedAt, 10, 1, 2, START);
    }
}
