package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.fleet.ClusterName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;

class CallerAuthenticatorTest {

    @TempDir
    static Path folder;

    private static EdgePki pki;

    @BeforeAll
    static void createCa() throws IOException {
        pki = new EdgePki(folder);
    }

    @AfterEach
    void clearRevocations() {
        pki.revoked.clear();
    }

    @Test
    void nodeIdentifiedByDnsName() {
        X509Certificate[] chain = pki.node("n2").chain().toArray(new X509Certificate[0]);

        AuthenticatedCaller caller = pki.authenticator().authenticate(null, chain);

        assertThat(caller.caller().toString()).isEqualTo("node:n2.edge.example");
        assertThat(caller.token()).isEmpty();
    }

    @Test
    void nodeCallerTakesDirectoryAttributes() {
        X509Certificate[] chain = pki.node("n3").chain().toArray(new X509Certificate[0]);
        NodeSubject listed = new NodeSubject(NodeFullName.parse("n3.edge.example"), NodeRole.GATEWAY,
                Set.of(Tag.of("quarantine")), Optional.of(ClusterName.of("web")));

        AuthenticatedCaller caller = pki.authenticator(PeerDirectory.of(List.of(listed))).authenticate(null, chain);

        assertThat(caller.subject()).isEqualTo(listed);
    }

    @Test
    void nodeCallerNotListedHasNoAttributes() {
        X509Certificate[] chain = pki.node("n4").chain().toArray(new X509Certificate[0]);

        AuthenticatedCaller caller = pki.authenticator().authenticate(null, chain);

        assertThat(caller.subject()).isEqualTo(NodeSubject.edge("n4.edge.example"));
    }

    @Test
    void nodeRevokedAfterHandshakeRejected() {
        X509Certificate[] chain = pki.node("n2").chain().toArray(new X509Certificate[0]);
        CallerAuthenticator authenticator = pki.authenticator();
        authenticator.authenticate(null, chain);

        pki.revoked.add(chain[0].getSerialNumber());

        assertThatThrownBy(() -> authenticator.authenticate(null, chain)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("revoked serial 0x" + chain[0].getSerialNumber().toString(16));
    }

    @Test
    void tokenTakesPrecedenceOverCertificate() {
        X509Certificate[] chain = pki.node("n2").chain().toArray(new X509Certificate[0]);

        AuthenticatedCaller caller = pki.authenticator().authenticate("Bearer " + pki.token("ci", List.of("a/*")),
                chain);

        assertThat(caller.caller().toString()).isEqualTo("client:ci");
    }

    @Test
    void cachedTokenStillChecked() {
        CallerAuthenticator authenticator = pki.authenticator();
        String header = "Bearer " + pki.token("ci", List.of("a/*"));

        AuthenticatedCaller first = authenticator.authenticate(header, null);
        AuthenticatedCaller second = authenticator.authenticate(header, null);

        assertThat(second.token()).isEqualTo(first.token());
    }

    @Test
    void basicAuthorizationRejected() {
        assertThatThrownBy(() -> pki.authenticator().authenticate("Basic YWRtaW46YWRtaW4=", null))
                .isInstanceOf(EdgeError.class).hasMessageContaining("must be 'Bearer <token>'");
    }

    @Test
    void noCredentialsRejected() {
        assertThatThrownBy(() -> pki.authenticator().authenticate(null, null)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("neither a bearer token nor a client certificate");
    }
}
