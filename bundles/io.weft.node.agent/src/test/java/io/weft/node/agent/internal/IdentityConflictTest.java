package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.Fingerprint;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityConflictTest {

    private static final Optional<IdentityRecord> ENROLLED = Optional.of(new IdentityRecord("node-a1",
            "edge-a.site-a.example", "127.0.0.1:7443", URI.create("https://127.0.0.1:8443/api/v1/enroll"),
            Fingerprint.parse("ab".repeat(32))));

    @Test
    void nodeWithoutIdentityPasses() {
        assertThatCode(() -> IdentityConflict.check(Optional.empty(), "node-c3", false, false))
                .doesNotThrowAnyException();
    }

    @Test
    void sameNodeIdPasses() {
        assertThatCode(() -> IdentityConflict.check(ENROLLED, "node-a1", false, false)).doesNotThrowAnyException();
        assertThatCode(() -> IdentityConflict.check(ENROLLED, "node-a1", false, true)).doesNotThrowAnyException();
    }

    @Test
    void forcePassesForOtherNodeId() {
        assertThatCode(() -> IdentityConflict.check(ENROLLED, "node-c3", true, false)).doesNotThrowAnyException();
        assertThatCode(() -> IdentityConflict.check(ENROLLED, "node-c3", true, true)).doesNotThrowAnyException();
    }

    @Test
    void otherNodeIdIsRejectedWithBothIds() {
        assertThatThrownBy(() -> IdentityConflict.check(ENROLLED, "node-c3", false, false))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageStartingWith("This node is enrolled as node 'edge-a.site-a.example' (id node-a1), but the"
                        + " token is for another node record, id node-c3. Nothing was changed, and the token was not"
                        + " sent to the manager.")
                .hasMessageContaining("(weft:node-revoke edge-a.site-a.example, or DELETE"
                        + " /api/v1/nodes/edge-a.site-a.example)")
                .hasMessageContaining("Then run weft:enroll --force <token>")
                .hasMessageContaining("discards its stored desired state");
    }

    @Test
    void otherNodeIdAfterIssueNamesUsedToken() {
        assertThatThrownBy(() -> IdentityConflict.check(ENROLLED, "node-c3", false, true))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageStartingWith("This node was enrolled as node 'edge-a.site-a.example' (id node-a1) while"
                        + " the enrollment for node id node-c3 ran")
                .hasMessageContaining("That token is used, so create a new one for node id node-c3.")
                .hasMessageContaining("weft:enroll --force <token>");
    }
}
