package io.weft.manager.api.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.ForbiddenException;
import javax.ws.rs.NotFoundException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.access.LoginThrottle;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.access.Role;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.DerbyStore;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.Operator;
import io.weft.manager.store.StoredApiToken;

/** Operator accounts and API tokens through the service layer, on the real stores in embedded Derby. */
class AccessServiceTest {

    private static final String PASSWORD = "a long enough password";
    private static final Caller ADMIN = Callers.fleetWide(Role.ADMIN);

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static AccessService access;
    private static Caller eastAdmin;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
        access = new AccessService(derby.accessStore(), derby.auditTrail(), new SecureRandom(),
                Clock.systemUTC());
        access.createOperator(ADMIN, "root", PASSWORD, List.of(new GrantDto("admin", "*")));
        Operator east = access.createOperator(ADMIN, "east-admin", PASSWORD,
                List.of(new GrantDto("admin", "east.acme.example")));
        eastAdmin = new Caller(new io.weft.manager.access.Principal(east.name(), east.grants()), Callers.ADDRESS);
        access.createOperator(ADMIN, "west-operator", PASSWORD, List.of(new GrantDto("operator", "west.acme.example")));
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void scopedAdminCreatesOperatorInItsSubtree() {
        Operator created = access.createOperator(eastAdmin, "Plant1-Op", PASSWORD,
                List.of(new GrantDto("operator", "plant1.east.acme.example")));

        assertThat(created.name()).isEqualTo("plant1-op");
        assertThat(OperatorDto.of(created).grants()).containsExactly(new GrantDto("operator", "plant1.east.acme.example"));
    }

    @Test
    void scopedAdminCannotGrantOutsideItsSubtree() {
        assertThatThrownBy(() -> access.createOperator(eastAdmin, "sneaky", PASSWORD,
                List.of(new GrantDto("viewer", "west.acme.example"))))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("east-admin");
        assertThatThrownBy(() -> access.createOperator(eastAdmin, "sneaky", PASSWORD,
                List.of(new GrantDto("viewer", "*"))))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void scopedAdminListsManagedAccounts() {
        List<String> names = access.listOperators(eastAdmin).stream().map(Operator::name).toList();

        assertThat(names).contains("east-admin").doesNotContain("root", "west-operator");
        Operator west = access.getOperator(ADMIN, "west-operator");
        assertThatThrownBy(() -> access.deleteOperator(eastAdmin, "west-operator", etag(west)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void hiddenAccountLooksLikeUnknownName() {
        Throwable hidden = catchThrowable(() -> access.getOperator(eastAdmin, "west-operator"));
        Throwable unknown = catchThrowable(() -> access.getOperator(eastAdmin, "nobody"));

        assertThat(hidden).isInstanceOf(NotFoundException.class);
        assertThat(unknown).isInstanceOf(NotFoundException.class);
        assertThat(hidden.getMessage().replace("west-operator", "NAME"))
                .isEqualTo(unknown.getMessage().replace("nobody", "NAME"));
    }

    @Test
    void grantWithoutScopeIsRejected() {
        assertThatThrownBy(() -> access.createOperator(ADMIN, "unscoped", PASSWORD, List.of(new GrantDto("viewer", null))))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("grants[0].scope"));
        assertThat(GrantDto.of(access.getOperator(ADMIN, "root").grants().iterator().next()).scope()).isEqualTo("*");
    }

    @Test
    void ifMatchAnyUpdatesCurrentVersion() {
        Operator before = access.createOperator(ADMIN, "anyone", PASSWORD, List.of(new GrantDto("viewer", "*")));

        Operator after = access.updateOperator(ADMIN, "anyone", "*", List.of(new GrantDto("operator", "*")), false);

        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(lastEntry("operator.update").before()).contains("viewer");
    }

    @Test
    void invalidInputNamesField() {
        assertThatThrownBy(() -> access.createOperator(ADMIN, "short-password", "short",
                List.of(new GrantDto("viewer", "*"))))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("password"));
        assertThatThrownBy(() -> access.createOperator(ADMIN, "bad-role", PASSWORD, List.of(new GrantDto("king", "*"))))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("grants[0].role"));
    }

    @Test
    void lastFleetAdminKeepsItsGrant() {
        Operator root = access.getOperator(ADMIN, "root");

        assertThatThrownBy(() -> access.updateOperator(ADMIN, "root", etag(root),
                List.of(new GrantDto("viewer", "*")), false))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409));
    }

    @Test
    void passwordChangeIsAuditedWithoutHash() {
        Operator before = access.createOperator(ADMIN, "changer", PASSWORD, List.of(new GrantDto("viewer", "*")));
        Caller self = new Caller(new io.weft.manager.access.Principal("changer", before.grants()), Callers.ADDRESS);

        Operator after = access.changePassword(self, "changer", etag(before), "another long password");

        assertThat(new PasswordHasher(new SecureRandom()).verify("another long password".toCharArray(),
                after.passwordHash())).as("new password verifies").isTrue();
        AuditEntry entry = lastEntry("operator.password-change");
        assertThat(entry.actor()).isEqualTo("changer");
        assertThat(entry.after()).doesNotContain(after.passwordHash()).doesNotContain("argon2");
    }

    @Test
    void issuedTokenAuthenticatesUntilRevoked() {
        Operator owner = access.createOperator(ADMIN, "tokened", PASSWORD,
                List.of(new GrantDto("operator", "east.acme.example")));
        Caller self = new Caller(new io.weft.manager.access.Principal(owner.name(), owner.grants()), Callers.ADDRESS);
        Authenticator authenticator = new Authenticator(derby.accessStore(), new PasswordHasher(new SecureRandom()),
                new io.weft.manager.access.ApiTokens(new SecureRandom(), Clock.systemUTC()),
                new LoginThrottle(Clock.systemUTC()), Clock.systemUTC());

        IssuedTokenDto issued = access.issueToken(self, null, Instant.now().plus(1, ChronoUnit.DAYS).toString());
        Caller byToken = authenticator.authenticate("Bearer " + issued.token(), null);
        access.revokeToken(self, issued.details().id());

        assertThat(byToken.getName()).isEqualTo("tokened");
        assertThatThrownBy(() -> authenticator.authenticate("Bearer " + issued.token(), null))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThat(access.listTokens(self, null)).extracting(stored -> stored.token().revoked()).containsExactly(true);
        assertThat(lastEntry("token.create").after()).doesNotContain(issued.token());
        assertThat(lastEntry("token.revoke").target()).isEqualTo(issued.details().id());
    }

    @Test
    void otherOperatorsTokensAreHidden() {
        IssuedTokenDto issued = access.issueToken(ADMIN, "west-operator",
                Instant.now().plus(1, ChronoUnit.DAYS).toString());

        assertThatThrownBy(() -> access.listTokens(eastAdmin, "west-operator")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> access.revokeToken(eastAdmin, issued.details().id()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageNotContaining("west-operator");
        List<StoredApiToken> tokens = access.listTokens(ADMIN, "west-operator");
        assertThat(tokens).extracting(stored -> stored.token().revoked()).containsOnly(false);
    }

    @Test
    void expiryIsRequired() {
        assertThatThrownBy(() -> access.issueToken(ADMIN, "root", null))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
        assertThatThrownBy(() -> access.issueToken(ADMIN, "root", Instant.now().plus(400, ChronoUnit.DAYS).toString()))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
    }

    private static AuditEntry lastEntry(String action) {
        List<AuditEntry> entries = derby.auditStore().listEntries(AuditQuery.all().byAction(action)
                .inNewestFirstOrder()).items();
        assertThat(entries).as("entries of %s", action).isNotEmpty();
        return entries.get(0);
    }

    private static String etag(Operator operator) {
        return "\"" + operator.version() + "\"";
    }
}
