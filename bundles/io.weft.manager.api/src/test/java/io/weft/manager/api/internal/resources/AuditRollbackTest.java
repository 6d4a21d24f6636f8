package io.weft.manager.api.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.AccessService;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.api.internal.access.GrantDto;
import io.weft.manager.api.internal.audit.AuditAppendException;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DerbyStore;
import io.weft.manager.api.internal.fleet.DomainService;
import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.api.internal.fleet.NodeControlReader;
import io.weft.manager.api.internal.fleet.NodeService;
import io.weft.manager.api.internal.fleet.ProfileService;
import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoreTransactions;

/**
 * A change through the API and its audit entry commit together: when the audit append fails,
 * the change is rolled back, on the real store in embedded Derby.
 */
class AuditRollbackTest {

    private static final String PASSWORD = "a long enough password";
    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static FailingAuditStore auditStore;
    private static DomainService domains;
    private static DomainResource domainResource;
    private static NodeResource nodeResource;
    private static AccessService access;
    private static SecurityContext security;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
        auditStore = new FailingAuditStore(derby.auditStore());
        AuditTrail trail = new AuditTrail(auditStore, (StoreTransactions) derby.store());
        domains = new DomainService(derby.store());
        NodeService nodes = new NodeService(derby.store());
        ProfileService profiles = new ProfileService(derby.store(), domains, nodes);
        domainResource = new DomainResource(domains, profiles, trail);
        EnrollmentService enrollment = new EnrollmentService(derby.store(), (ControlStore) derby.store(),
                mock(ManagerPki.class), trail, nodes);
        nodeResource = new NodeResource(nodes, profiles, trail, new NodeControlReader((ControlStore) derby.store()),
                enrollment);
        access = new AccessService(derby.accessStore(), trail);
        security = mock(SecurityContext.class);
        when(security.getUserPrincipal()).thenReturn(ADMIN);

        domainResource.create(security, new DomainCreateRequest("kept.example", "before"));
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @AfterEach
    void appendAgain() {
        auditStore.failing = false;
    }

    @Test
    void failedAppendRollsBackDomainCreate() {
        long entriesBefore = auditStore.head().sequence();
        auditStore.failing = true;

        assertThatThrownBy(() -> domainResource.create(security, new DomainCreateRequest("lost.example", "")))
                .isInstanceOf(AuditAppendException.class);

        assertThatThrownBy(() -> domains.get(ADMIN, "lost.example")).isInstanceOf(NotFoundException.class);
        assertThat(auditStore.head().sequence()).as("last audit sequence").isEqualTo(entriesBefore);
    }

    @Test
    void failedAppendRollsBackDomainUpdate() {
        long versionBefore = domains.get(ADMIN, "kept.example").version();
        auditStore.failing = true;

        assertThatThrownBy(() -> domainResource.update(security, "kept.example", "*",
                new DomainUpdateRequest("after"))).isInstanceOf(AuditAppendException.class);

        assertThat(domains.get(ADMIN, "kept.example").description()).as("description").isEqualTo("before");
        assertThat(domains.get(ADMIN, "kept.example").version()).as("version").isEqualTo(versionBefore);
    }

    @Test
    void failedAppendRollsBackNodeCreate() {
        auditStore.failing = true;

        assertThatThrownBy(() -> nodeResource.create(security,
                new NodeCreateRequest("n1", "kept.example", "edge", List.of(), null, null)))
                .isInstanceOf(AuditAppendException.class);

        assertThatThrownBy(() -> nodeResource.get(security, "n1.kept.example")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void failedAppendRollsBackNodeDelete() {
        nodeResource.create(security, new NodeCreateRequest("n2", "kept.example", "edge", List.of(), null, null));
        auditStore.failing = true;

        assertThatThrownBy(() -> nodeResource.delete(security, "n2.kept.example", "*"))
                .isInstanceOf(AuditAppendException.class);

        assertThat(nodeResource.get(security, "n2.kept.example").getStatus()).as("status of the node").isEqualTo(200);
    }

    @Test
    void failedAppendRollsBackOperatorCreate() {
        auditStore.failing = true;

        assertThatThrownBy(() -> access.createOperator(ADMIN, "lost-operator", PASSWORD,
                List.of(new GrantDto("viewer", "*")))).isInstanceOf(AuditAppendException.class);

        assertThatThrownBy(() -> access.getOperator(ADMIN, "lost-operator")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void failedAppendRollsBackTokenIssue() {
        access.createOperator(ADMIN, "token-owner", PASSWORD, List.of(new GrantDto("viewer", "*")));
        auditStore.failing = true;

        assertThatThrownBy(() -> access.issueToken(ADMIN, "token-owner",
                Instant.now().plus(30, ChronoUnit.DAYS).toString()))
                .isInstanceOf(AuditAppendException.class);

        auditStore.failing = false;
        assertThat(access.listTokens(ADMIN, "token-owner")).as("tokens of token-owner").isEmpty();
    }

    /** Audit store that fails every append while {@link #failing} is set, as a full disk would. */
    private static final class FailingAuditStore implements AuditStore {

        private final AuditStore delegate;
        volatile boolean failing;

        FailingAuditStore(AuditStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public AuditEntry append(AuditEvent event) {
            if (failing) {
                throw new StoreException("Injected failure of the audit append for " + event.action());
            }
            return delegate.append(event);
        }

        @Override
        public AuditAnchor head() {
            return delegate.head();
        }

        @Override
        public Page<AuditEntry> listEntries(AuditQuery query) {
            return delegate.listEntries(query);
        }

        @Override
        public Iterable<AuditEntry> entries() {
            return delegate.entries();
        }
    }
}
