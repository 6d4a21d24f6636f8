package io.weft.manager.api.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import javax.ws.rs.ForbiddenException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.store.Domain;
import io.weft.manager.store.Node;
import io.weft.manager.store.Page;

/**
 * Authorization of the fleet services with scoped grants, on the real store in embedded
 * Derby. The fleet has two subtrees, east and west, with a domain and two nodes each.
 */
class ScopedAccessTest {

    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);
    private static final Caller EAST_ADMIN = Callers.within("east-admin", Role.ADMIN, "east.scope.example");
    private static final Caller EAST_VIEWER = Callers.within("east-viewer", Role.VIEWER, "east.scope.example");

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static DomainService domains;
    private static NodeService nodes;
    private static ProfileService profiles;

    @BeforeAll
    static void createFleet() {
        derby = new DerbyStore(folder);
        domains = new DomainService(derby.store());
        nodes = new NodeService(derby.store());
        profiles = new ProfileService(derby.store(), domains, nodes);
        for (String domain : List.of("scope.example", "east.scope.example", "plant1.east.scope.example",
                "west.scope.example", "plant1.west.scope.example")) {
            domains.create(ADMIN, domain, "");
        }
        for (String domain : List.of("plant1.east.scope.example", "plant1.west.scope.example")) {
            nodes.create(ADMIN, "n1", domain, new NodeChange("edge", null, null, null));
            nodes.create(ADMIN, "n2", domain, new NodeChange("edge", null, null, null));
        }
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void scopedNodeListShowsOnlySubtree() {
        Page<Node> page = nodes.list(EAST_ADMIN, new NodeFilter(null, null, null, null, null, null));

        assertThat(page.items()).extracting(Node::fullName)
                .containsExactly("n1.plant1.east.scope.example", "n2.plant1.east.scope.example");
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void scopedDomainListShowsOnlySubtree() {
        Page<Domain> page = domains.list(EAST_VIEWER, null, null, null);

        assertThat(page.items()).extracting(Domain::name)
                .containsExactly("east.scope.example", "plant1.east.scope.example");
    }

    @Test
    void listOfParentIsNarrowedToScope() {
        Page<Domain> page = domains.list(EAST_ADMIN, "scope.example", null, null);

        assertThat(page.items()).extracting(Domain::name)
                .containsExactly("east.scope.example", "plant1.east.scope.example");
    }

    @Test
    void listOfOtherSubtreeIsForbidden() {
        assertThatThrownBy(() -> nodes.list(EAST_ADMIN, new NodeFilter("west.scope.example", null, null, null, null,
                null)))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("east-admin")
                .hasMessageContaining("viewer or operator or admin");
    }

    @Test
    void severalScopesMergeInNameOrder() {
        Caller both = Callers.within("both", Role.VIEWER, "plant1.west.scope.example", "plant1.east.scope.example");

        Page<Node> first = nodes.list(both, new NodeFilter(null, null, null, null, null, "3"));
        Page<Node> second = nodes.list(both, new NodeFilter(null, null, null, null, first.nextCursor().orElseThrow(),
                "3"));

        assertThat(first.items()).extracting(Node::fullName).containsExactly("n1.plant1.east.scope.example",
                "n1.plant1.west.scope.example", "n2.plant1.east.scope.example");
        assertThat(second.items()).extracting(Node::fullName).containsExactly("n2.plant1.west.scope.example");
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void scopedAdminCannotReadOrChangeOtherSubtree() {
        Node west = nodes.get(ADMIN, "n1.plant1.west.scope.example");

        assertThatThrownBy(() -> nodes.get(EAST_ADMIN, west.fullName())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> nodes.delete(EAST_ADMIN, west.fullName(), west.version()))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("may not change node 'n1.plant1.west.scope.example'");
        assertThatThrownBy(() -> domains.create(EAST_ADMIN, "plant2.west.scope.example", ""))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> profiles.getDomainProfile(EAST_ADMIN, "west.scope.example"))
                .isInstanceOf(ForbiddenException.class);
        assertThat(nodes.get(ADMIN, west.fullName()).version()).as("version of the west node").isEqualTo(west.version());
    }

    @Test
    void forbiddenHidesWhetherTargetExists() {
        assertThatThrownBy(() -> domains.get(EAST_ADMIN, "missing.west.scope.example"))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void scopedAdminChangesOwnSubtree() {
        Domain created = domains.create(EAST_ADMIN, "plant9.east.scope.example", "by the east admin");
        profiles.putDomainProfile(EAST_ADMIN, created.name(), OptionalLong.empty(),
                new ProfileJson.Document(java.util.Map.of()));

        assertThat(domains.get(EAST_ADMIN, created.name()).description()).isEqualTo("by the east admin");
        domains.delete(EAST_ADMIN, created.name(), created.version());
    }

    @Test
    void viewerCannotChange() {
        assertThatThrownBy(() -> domains.create(EAST_VIEWER, "plant8.east.scope.example", ""))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("operator or admin");
    }

    @Test
    void fleetListNeedsFleetWideGrantOrScope() {
        Caller none = Callers.within("none", Role.VIEWER);

        assertThatThrownBy(() -> domains.list(none, null, null, null))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("over the whole fleet");
    }
}
