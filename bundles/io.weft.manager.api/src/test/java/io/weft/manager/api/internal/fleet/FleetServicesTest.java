package io.weft.manager.api.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.NotFoundException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.fleet.EffectiveProfile;
import io.weft.fleet.EffectiveRemoval;
import io.weft.fleet.ProfileOwner;
import io.weft.fleet.ProfileValue;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.PreconditionRequiredException;
import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.store.Domain;
import io.weft.manager.store.Node;

/** The service layer on the real store in embedded Derby. Each test uses domains of its own. */
class FleetServicesTest {

    @TempDir
    static Path folder;

    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);

    private static DerbyStore derby;
    private static DomainService domains;
    private static NodeService nodes;
    private static ProfileService profiles;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
        domains = new DomainService(derby.store());
        nodes = new NodeService(derby.store());
        profiles = new ProfileService(derby.store(), domains, nodes);
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void domainNameIsFoldedToLowerCase() {
        Domain domain = domains.create(ADMIN, "Fold.Example", null);

        assertThat(domain.name()).isEqualTo("fold.example");
        assertThat(domain.description()).isEmpty();
        assertThat(domains.get(ADMIN, "FOLD.example").version()).isEqualTo(1);
    }

    @Test
    void duplicateDomainIsConflict() {
        domains.create(ADMIN, "dup.example", "");

        assertThatThrownBy(() -> domains.create(ADMIN, "dup.example", ""))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("dup.example");
    }

    @Test
    void invalidDomainNameNamesField() {
        assertThatThrownBy(() -> domains.create(ADMIN, "bad_name.example", ""))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("name"))
                .hasMessageContaining("bad_name.example");
    }

    @Test
    void overlongDescriptionIsRejected() {
        assertThatThrownBy(() -> domains.create(ADMIN, "long.example", "d".repeat(1001)))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("description"))
                .hasMessageContaining("maximum of 1000");
    }

    @Test
    void staleDomainUpdateCarriesCurrentVersion() {
        domains.create(ADMIN, "stale.example", "");
        domains.update(ADMIN, "stale.example", 1, "second");

        assertThatThrownBy(() -> domains.update(ADMIN, "stale.example", 1, "lost"))
                .isInstanceOfSatisfying(StaleVersionException.class,
                        e -> assertThat(e.currentVersion()).isEqualTo(2));
    }

    @Test
    void nonEmptyDomainDeleteIsConflict() {
        domains.create(ADMIN, "full.example", "");
        domains.create(ADMIN, "sub.full.example", "");

        assertThatThrownBy(() -> domains.delete(ADMIN, "full.example", 1))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("full.example").hasMessageContaining("not empty");
    }

    @Test
    void missingDomainIsNotFound() {
        assertThatThrownBy(() -> domains.get(ADMIN, "none.example")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("none.example");
        assertThatThrownBy(() -> nodes.create(ADMIN, "n1", "none.example", change("edge")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void nodeTagsAreValidatedAndFolded() {
        domains.create(ADMIN, "tags.example", "");

        Node node = nodes.create(ADMIN, "N1", "tags.example", new NodeChange("Gateway", List.of("GPU", "site.x"), null, null));

        assertThat(node.fullName()).isEqualTo("n1.tags.example");
        assertThat(node.tags()).containsExactly("gpu", "site.x");
        assertThatThrownBy(() -> nodes.create(ADMIN, "n2", "tags.example", new NodeChange("edge", List.of("gpu", "GPU"), null,
                null))).isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("tags"));
    }

    @Test
    void invalidStateMoveIsConflict() {
        domains.create(ADMIN, "state.example", "");
        nodes.create(ADMIN, "n1", "state.example", change("edge"));
        nodes.moveTo(ADMIN, "n1.state.example", 1, "revoked");

        assertThatThrownBy(() -> nodes.moveTo(ADMIN, "n1.state.example", 2, "enrolled"))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("revoked");
    }

    @Test
    void listFiltersBySubtreeTagRoleAndState() {
        domains.create(ADMIN, "list.example", "");
        domains.create(ADMIN, "a.list.example", "");
        nodes.create(ADMIN, "g1", "a.list.example", new NodeChange("gateway", List.of("gpu"), null, null));
        nodes.create(ADMIN, "e1", "a.list.example", change("edge"));
        nodes.create(ADMIN, "e2", "list.example", change("edge"));

        assertThat(fullNames(new NodeFilter("a.list.example", null, null, null, null, null)))
                .containsExactly("e1.a.list.example", "g1.a.list.example");
        assertThat(fullNames(new NodeFilter("list.example", List.of("GPU"), null, null, null, null)))
                .containsExactly("g1.a.list.example");
        assertThat(fullNames(new NodeFilter("list.example", null, "edge", "created", null, null)))
                .containsExactly("e1.a.list.example", "e2.list.example");
        assertThatThrownBy(() -> nodes.list(ADMIN, new NodeFilter(null, null, null, null, null, "1001")))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    }

    @Test
    void effectiveProfileAppliesOverrideAndRemoval() throws Exception {
        domains.create(ADMIN, "acme.example", "");
        domains.create(ADMIN, "plant1.east.acme.example", "");
        nodes.create(ADMIN, "gw1", "plant1.east.acme.example", change("gateway"));
        profiles.putDomainProfile(ADMIN, "acme.example", OptionalLong.empty(), document("""
                {"pids": {"io.weft.mesh": {"port": {"type": "long", "value": 8443},
                                           "debug": {"type": "boolean", "value": true}}}}"""));
        profiles.putDomainProfile(ADMIN, "plant1.east.acme.example", OptionalLong.empty(), document("""
                {"pids": {"io.weft.mesh": {"port": {"type": "long", "value": 9443}, "debug": {"remove": true}}}}"""));

        EffectiveProfile effective = profiles.effectiveNodeProfile(ADMIN, "gw1.plant1.east.acme.example").profile();

        assertThat(effective.value("io.weft.mesh", "port").orElseThrow().value()).isEqualTo(ProfileValue.ofLong(9443));
        assertThat(effective.value("io.weft.mesh", "port").orElseThrow().source())
                .isEqualTo(ProfileOwner.domain(DomainName.of("plant1.east.acme.example")));
        EffectiveRemoval removal = effective.removal("io.weft.mesh", "debug").orElseThrow();
        assertThat(removal.removedValue().orElseThrow().source()).isEqualTo(ProfileOwner.domain(DomainName.of("acme.example")));
        assertThat(profiles.effectiveNodeProfile(ADMIN, "gw1.plant1.east.acme.example").owner())
                .isEqualTo(ProfileOwner.node(NodeFullName.parse("gw1.plant1.east.acme.example")));
    }

    @Test
    void profileReplaceNeedsIfMatch() throws Exception {
        domains.create(ADMIN, "replace.example", "");
        ProfileService.Written created = profiles.putDomainProfile(ADMIN, "replace.example", OptionalLong.empty(),
                document("{\"pids\": {}}"));

        assertThat(created.created()).isTrue();
        assertThatThrownBy(() -> profiles.putDomainProfile(ADMIN, "replace.example", OptionalLong.empty(),
                document("{\"pids\": {}}"))).isInstanceOf(PreconditionRequiredException.class);
        assertThat(profiles.putDomainProfile(ADMIN, "replace.example", OptionalLong.of(1), document("{\"pids\": {}}"))
                .profile().version()).isEqualTo(2);
        assertThatThrownBy(() -> profiles.putDomainProfile(ADMIN, "replace.example", OptionalLong.of(1),
                document("{\"pids\": {}}"))).isInstanceOf(StaleVersionException.class);
    }

    @Test
    void missingNodeProfileNamesNode() {
        domains.create(ADMIN, "noprofile.example", "");
        nodes.create(ADMIN, "n1", "noprofile.example", change("edge"));

        assertThatThrownBy(() -> profiles.getNodeProfile(ADMIN, "n1.noprofile.example"))
                .isInstanceOf(NotFoundException.class).hasMessage("node:n1.noprofile.example has no profile");
        assertThatThrownBy(() -> profiles.deleteNodeProfile(ADMIN, "n1.noprofile.example", 1))
                .isInstanceOf(NotFoundException.class).hasMessage("node:n1.noprofile.example has no profile");
    }

    private static List<String> fullNames(NodeFilter filter) {
        return nodes.list(ADMIN, filter).items().stream().map(Node::fullName).toList();
    }

    private static NodeChange change(String role) {
        return new NodeChange(role, null, null, null);
    }

    private static ProfileJson.Document document(String json) throws Exception {
        return new ObjectMapper().readValue(json, ProfileJson.Document.class);
    }
}
