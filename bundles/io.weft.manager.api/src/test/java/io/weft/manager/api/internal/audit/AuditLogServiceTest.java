package io.weft.manager.api.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import javax.ws.rs.ForbiddenException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.api.internal.fleet.DerbyStore;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditVerification;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.Page;

/** Recording, listing and verifying the audit log on the real store in embedded Derby. */
class AuditLogServiceTest {

    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);
    private static final AuditLogService.Filter ALL = new AuditLogService.Filter(null, null, null, null, null, null,
            null);

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static AuditTrail trail;
    private static AuditLogService log;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
        trail = derby.auditTrail();
        log = new AuditLogService(derby.auditStore());
        trail.record(ADMIN, "domain.create", "a.example", null, Map.of("name", "a.example"));
        trail.record(ADMIN, "domain.update", "a.example", Map.of("name", "a.example"), Map.of("name", "a.example",
                "description", "x"));
        trail.record(Callers.fleetWide(Role.OPERATOR), "domain.create", "b.example", null, Map.of("name", "b.example"));
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void entryRecordsCallerAndStates() {
        AuditEntry entry = log.list(ADMIN, ALL).items().get(1);

        assertThat(entry.actor()).isEqualTo("admin-fleet");
        assertThat(entry.remoteAddress()).isEqualTo(Callers.ADDRESS);
        assertThat(entry.action()).isEqualTo("domain.update");
        assertThat(entry.before()).isEqualTo("{\"name\":\"a.example\"}");
        assertThat(entry.after()).contains("\"description\":\"x\"");
    }

    @Test
    void listFiltersAndPages() {
        Page<AuditEntry> byActor = log.list(ADMIN, new AuditLogService.Filter("operator-fleet", null, null, null, null,
                null, null));
        Page<AuditEntry> first = log.list(ADMIN, new AuditLogService.Filter(null, "domain.create", null, null, null,
                null, "1"));
        Page<AuditEntry> second = log.list(ADMIN, new AuditLogService.Filter(null, "domain.create", null, null, null,
                first.nextCursor().orElseThrow(), "1"));

        assertThat(byActor.items()).extracting(AuditEntry::target).containsExactly("b.example");
        assertThat(first.items()).extracting(AuditEntry::target).containsExactly("a.example");
        assertThat(second.items()).extracting(AuditEntry::target).containsExactly("b.example");
    }

    @Test
    void invalidTimeNamesField() {
        assertThatThrownBy(() -> log.list(ADMIN, new AuditLogService.Filter(null, null, null, "yesterday", null, null,
                null)))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("from"));
    }

    @Test
    void untouchedLogVerifiesIntact() {
        AuditVerification verification = log.verify(ADMIN, null);
        AuditVerification anchored = log.verify(ADMIN, verification.lastIntact().toString());

        assertThat(verification.isIntact()).as("intact: %s", verification.firstBroken()).isTrue();
        assertThat(verification.entriesChecked()).isGreaterThanOrEqualTo(3);
        assertThat(anchored.isIntact()).as("intact with anchor: %s", anchored.firstBroken()).isTrue();
    }

    @Test
    void readingNeedsFleetWideAdmin() {
        Caller operator = Callers.fleetWide(Role.OPERATOR);
        Caller scopedAdmin = Callers.within("east-admin", Role.ADMIN, "east.example");

        assertThatThrownBy(() -> log.list(operator, ALL)).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("admin");
        assertThatThrownBy(() -> log.export(scopedAdmin)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> log.verify(scopedAdmin, null)).isInstanceOf(ForbiddenException.class);
    }
}
