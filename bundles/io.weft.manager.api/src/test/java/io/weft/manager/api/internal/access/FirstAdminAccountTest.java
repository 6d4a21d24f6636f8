package io.weft.manager.api.internal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.access.Grant;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.access.Role;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DerbyStore;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.Operator;

/** Creation of the first admin account on a new store in embedded Derby. */
class FirstAdminAccountTest {

    @TempDir
    Path folder;

    private DerbyStore derby;

    @BeforeEach
    void openStore() {
        derby = new DerbyStore(folder);
    }

    @AfterEach
    void closeStore() {
        derby.close();
    }

    @Test
    void createsAdminWithPasswordFromOwnerOnlyFile() throws Exception {
        Path file = folder.resolve("weft-api-admin.password");

        boolean created = FirstAdminAccount.createIfNoOperator(derby.accessStore(), audit(), file, new SecureRandom());

        assertThat(created).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).as("permissions of %s", file)
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Operator admin = derby.accessStore().findOperator("admin").orElseThrow();
        assertThat(admin.grants()).containsExactly(Grant.fleetWide(Role.ADMIN));
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(new PasswordHasher(new SecureRandom()).verify(password.toCharArray(), admin.passwordHash()))
                .as("password in the file verifies").isTrue();
    }

    @Test
    void creationIsAuditedWithoutPasswordHash() {
        FirstAdminAccount.createIfNoOperator(derby.accessStore(), audit(), folder.resolve("password"),
                new SecureRandom());

        AuditEntry entry = derby.auditStore().listEntries(AuditQuery.all()).items().get(0);
        assertThat(entry.actor()).isEqualTo(AuditTrail.SYSTEM);
        assertThat(entry.action()).isEqualTo("operator.create");
        assertThat(entry.target()).isEqualTo("admin");
        assertThat(entry.after()).contains("{\"role\":\"admin\",\"scope\":\"*\"}").doesNotContain("argon2");
    }

    @Test
    void existingOperatorPreventsCreation() {
        derby.accessStore().createOperator("root", new PasswordHasher(new SecureRandom()).hash("x".toCharArray()),
                Set.of(Grant.fleetWide(Role.ADMIN)));
        Path file = folder.resolve("weft-api-admin.password");

        boolean created = FirstAdminAccount.createIfNoOperator(derby.accessStore(), audit(), file, new SecureRandom());

        assertThat(created).isFalse();
        assertThat(file).doesNotExist();
        assertThat(derby.accessStore().findOperator("admin")).isEmpty();
    }

    private AuditTrail audit() {
        return derby.auditTrail();
    }
}
