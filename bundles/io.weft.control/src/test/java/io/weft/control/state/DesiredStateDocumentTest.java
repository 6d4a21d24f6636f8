package io.weft.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.weft.fleet.ClusterName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.ProfileValue;
import io.weft.fleet.Tag;

class DesiredStateDocumentTest {

    private static final Instant TIME = Instant.parse("2026-12-01T10:00:00Z");

    private static DesiredStateDocument document(long revision) {
        return new DesiredStateDocument("3f0c6c1e-1111-4a5b-9c6d-000000000001", "gw1.east.acme.example", revision, TIME,
                Map.of("org.example.web", Map.of("port", ProfileValue.ofLong(8443), "hosts",
                        ProfileValue.ofStrings("a", "b")), "org.example.flags", Map.of("on", ProfileValue.ofBoolean(true),
                        "ratio", ProfileValue.ofDouble(0.5))),
                Set.of("ff01", "a"), JsonNodeFactory.instance.objectNode());
    }

    @Test
    void roundTripKeepsEveryValue() {
        DesiredStateDocument original = document(7);

        DesiredStateDocument parsed = DesiredStateDocument.parse(original.toJson());

        assertThat(parsed).isEqualTo(original);
        assertThat(parsed.configurations().get("org.example.web").get("port").asLong()).isEqualTo(8443);
        assertThat(parsed.toJson()).isEqualTo(original.toJson());
    }

    @Test
    void jsonIsCanonical() {
        String json = new String(document(3).toJson(), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"format\":2,\"nodeId\":");
        assertThat(json.indexOf("org.example.flags")).isLessThan(json.indexOf("org.example.web"));
        assertThat(json).contains("\"revokedSerials\":[\"a\",\"ff01\"]");
    }

    @Test
    void contentDigestIgnoresRevision() {
        assertThat(document(3).contentSha256()).isEqualTo(document(9).withRevision(12, TIME.plusSeconds(5))
                .contentSha256()).hasSize(64);
        assertThat(document(3).contentSha256()).isNotEqualTo(new DesiredStateDocument(document(3).nodeId(),
                document(3).nodeName(), 3, TIME, Map.of(), Set.of(), JsonNodeFactory.instance.objectNode())
                .contentSha256());
    }

    @Test
    void deploymentsRoundTripSortedByApp() {
        DesiredStateDocument original = document(4).withDeployments(List.of(deployment("org.example.zeta"),
                deployment("org.example.alpha")));

        DesiredStateDocument parsed = DesiredStateDocument.parse(original.toJson());

        assertThat(parsed).isEqualTo(original);
        assertThat(parsed.deployments()).extracting(AppDeployment::app)
                .containsExactly("org.example.alpha", "org.example.zeta");
        assertThat(new String(parsed.toJson(), StandardCharsets.UTF_8))
                .contains("\"deployments\":[{\"deploymentId\":\"d1\",\"app\":\"org.example.alpha\"");
    }

    @Test
    void deploymentsChangeContentDigest() {
        assertThat(document(3).withDeployments(List.of(deployment("org.example.app"))).contentSha256())
                .isNotEqualTo(document(3).contentSha256());
    }

    @Test
    void sameAppTwiceIsRejected() {
        assertThatThrownBy(() -> document(3).withDeployments(List.of(deployment("a.b"), deployment("a.b"))))
                .isInstanceOfSatisfying(InvalidDesiredStateException.class,
                        e -> assertThat(e.member()).isEqualTo("deployments"));
    }

    @Test
    void malformedDeploymentsNameMember() {
        String valid = new String(document(3).withDeployments(List.of(deployment("a.b"))).toJson(),
                StandardCharsets.UTF_8);

        assertRejected(valid.replace("\"deployments\":[", "\"deployments\":[1,"), "deployments");
        assertRejected(valid.replace("\"size\":1024", "\"size\":0"), "deployments.size");
        assertRejected(valid.replace("\"size\":1024", "\"size\":1024,\"extra\":1"), "deployments.extra");
        assertRejected(valid.replace("\"sha256\":\"" + "ab".repeat(32), "\"sha256\":\"" + "AB".repeat(32)),
                "deployments.sha256");
        assertRejected(valid.replace("\"signature\":\"MIIB\"", "\"signature\":\"%%\""), "deployments.signature");
        assertRejected(valid.replace(",\"deployments\":[", ",\"apps\":["), "apps");
    }

    private static AppDeployment deployment(String app) {
        return new AppDeployment("d1", app, "1.0.0", "ab".repeat(32), 1024, "MIIB");
    }

    @Test
    void serialUsesLowerCaseHex() {
        assertThat(DesiredStateDocument.serial(new BigInteger("255"))).isEqualTo("ff");
    }

    @Test
    void malformedDocumentsNameMember() {
        String valid = new String(document(3).toJson(), StandardCharsets.UTF_8);

        assertRejected("[]", "(document)");
        assertRejected("{", "(document)");
        assertRejected(valid.replace("\"format\":2", "\"format\":1"), "format");
        assertRejected(valid.replace("\"revision\":3", "\"revision\":0"), "(document)");
        assertRejected(valid.replace("\"revision\":3", "\"revision\":\"3\""), "revision");
        assertRejected(valid.replace("{\"format\":2,", "{\"format\":2,\"extra\":true,"), "extra");
        assertRejected(valid.replace("\"type\":\"long\",\"value\":8443", "\"type\":\"long\",\"value\":\"8443\""),
                "configurations.org.example.web.port");
        assertRejected(valid.replace("\"ff01\"", "\"FF01\""), "revokedSerials");
        assertRejected(valid.replace("\"issuedAt\":\"2026-12-01T10:00:00Z\"", "\"issuedAt\":\"yesterday\""),
                "issuedAt");
        assertRejected(valid.replace("{\"format\":2,", "{\"format\":2,\"format\":2,"), "(document)");
    }

    @Test
    void peersRoundTripSortedByName() {
        PeerAttributes gateway = new PeerAttributes(NodeFullName.parse("gw1.east.acme.example"), NodeRole.GATEWAY,
                Set.of(), Optional.of(ClusterName.of("web")));
        PeerAttributes camera = new PeerAttributes(NodeFullName.parse("cam1.east.acme.example"), NodeRole.EDGE,
                Set.of(Tag.of("quarantine"), Tag.of("camera")), Optional.empty());
        DesiredStateDocument original = document(5).withPeers(List.of(gateway, camera), false);

        DesiredStateDocument parsed = DesiredStateDocument.parse(original.toJson());

        assertThat(parsed).isEqualTo(original);
        assertThat(parsed.peers()).containsExactly(camera, gateway);
        assertThat(new String(parsed.toJson(), StandardCharsets.UTF_8)).endsWith("\"peers\":["
                + "{\"name\":\"cam1.east.acme.example\",\"role\":\"edge\",\"tags\":[\"camera\",\"quarantine\"]},"
                + "{\"name\":\"gw1.east.acme.example\",\"role\":\"gateway\",\"tags\":[],\"cluster\":\"web\"}],"
                + "\"peersComplete\":false}");
        assertThat(parsed.peersComplete()).isFalse();
        assertThat(parsed.contentSha256()).as("peers are content").isNotEqualTo(document(5).contentSha256());
    }

    @Test
    void malformedPeersNameMember() {
        String valid = new String(document(3).withPeers(List.of(new PeerAttributes(
                NodeFullName.parse("cam1.east.acme.example"), NodeRole.EDGE, Set.of(Tag.of("camera")),
                Optional.empty())), true).toJson(), StandardCharsets.UTF_8);

        assertRejected(valid.replace(",\"peers\":[", ",\"peers\":{\"x\":["), "(document)");
        assertRejected(valid.replace("\"role\":\"edge\"", "\"role\":\"relay\""), "peers[0]");
        assertRejected(valid.replace("\"name\":\"cam1.east.acme.example\"", "\"name\":\"cam1\""), "peers[0]");
        assertRejected(valid.replace("\"tags\":[\"camera\"]", "\"tags\":[\"Camera Two\"]"), "peers[0]");
        assertRejected(valid.replace("\"tags\":[\"camera\"]", "\"tags\":\"camera\""), "peers[0].tags");
        assertRejected(valid.replace("\"tags\":[\"camera\"]", "\"tags\":[],\"owner\":\"x\""), "peers[0].owner");
        assertRejected(valid.replace("\"peers\":[{", "\"peers\":[{\"name\":\"cam1.east.acme.example\","
                + "\"role\":\"edge\",\"tags\":[]},{"), "peers");
        assertRejected(valid.replace(",\"peers\":[", ",\"noPeers\":["), "noPeers");
        assertRejected(valid.replace("\"peersComplete\":true", "\"peersComplete\":\"yes\""), "peersComplete");
        assertRejected(valid.replace(",\"peersComplete\":true", ""), "peersComplete");
    }

    private static void assertRejected(String json, String member) {
        assertThatThrownBy(() -> DesiredStateDocument.parse(json.getBytes(StandardCharsets.UTF_8)))
                .as("rejection of %s", json)
                .isInstanceOfSatisfying(InvalidDesiredStateException.class, e -> assertThat(e.member()).isEqualTo(member));
    }
}
