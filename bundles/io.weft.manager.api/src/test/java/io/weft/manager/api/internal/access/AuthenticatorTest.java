package io.weft.manager.api.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.fleet.DomainName;
import io.weft.manager.access.ApiTokens;
import io.weft.manager.access.Grant;
import io.weft.manager.access.IssuedToken;
import io.weft.manager.access.LoginThrottle;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.access.Role;
import io.weft.manager.api.internal.fleet.DerbyStore;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.Operator;

/** Password and token authentication against the real access store in embedded Derby. */
class AuthenticatorTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Grant EAST_OPERATOR = Grant.within(Role.OPERATOR, DomainName.of("east.acme.example"));

    @TempDir
    static Path folder;

    private static DerbyStore derby;
    private static AccessStore store;
    private static PasswordHasher hasher;
    private static ApiTokens tokens;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
        store = derby.accessStore();
        SecureRandom random = new SecureRandom();
        hasher = new PasswordHasher(random);
        tokens = new ApiTokens(random, Clock.systemUTC());
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void basicLoginReturnsPrincipalWithGrants() {
        createOperator("alice");

        Caller caller = authenticator().authenticate(basic("Alice", PASSWORD), "192.0.2.1");

        assertThat(caller.principal().name()).isEqualTo("alice");
        assertThat(caller.principal().grants()).containsExactly(EAST_OPERATOR);
        assertThat(caller.remoteAddress()).isEqualTo("192.0.2.1");
    }

    @Test
    void wrongPasswordIsRejected() {
        createOperator("bob");

        assertThatThrownBy(() -> authenticator().authenticate(basic("bob", "not the password"), "192.0.2.2"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("wrong password")
                .hasMessageNotContaining("not the password")
                .extracting(e -> ((AuthenticationFailedException) e).kind())
                .isEqualTo(AuthenticationFailedException.Kind.WRONG_PASSWORD);
    }

    @Test
    void unknownUserIsRejected() {
        assertThatThrownBy(() -> authenticator().authenticate(basic("nobody", PASSWORD), "192.0.2.3"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("unknown user name")
                .extracting(e -> ((AuthenticationFailedException) e).kind())
                .as("kind, the same as for a wrong password")
                .isEqualTo(AuthenticationFailedException.Kind.WRONG_PASSWORD);
    }

    @Test
    void disabledOperatorIsRejected() {
        Operator operator = createOperator("carol");
        store.setDisabled("carol", operator.version(), true);

        assertThatThrownBy(() -> authenticator().authenticate(basic("carol", PASSWORD), "192.0.2.4"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("disabled account")
                .extracting(e -> ((AuthenticationFailedException) e).kind())
                .as("kind, the same as for a wrong password")
                .isEqualTo(AuthenticationFailedException.Kind.WRONG_PASSWORD);
    }

    @Test
    void repeatedFailuresAreThrottled() {
        createOperator("dave");
        Authenticator authenticator = authenticator();
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            assertThatThrownBy(() -> authenticator.authenticate(basic("dave", "wrong"), "192.0.2.5"))
                    .as("failure %d", i + 1)
                    .isInstanceOf(AuthenticationFailedException.class);
        }

        assertThatThrownBy(() -> authenticator.authenticate(basic("dave", PASSWORD), "192.0.2.5"))
                .isInstanceOfSatisfying(LoginThrottledException.class,
                        e -> assertThat(e.retryAfterSeconds()).isPositive());
    }

    @Test
    void malformedHeadersAreRejected() {
        Authenticator authenticator = authenticator();

        for (String header : new String[] { null, "" }) {
            assertThatThrownBy(() -> authenticator.authenticate(header, null)).as("header %s", header)
                    .isInstanceOfSatisfying(AuthenticationFailedException.class,
                            e -> assertThat(e.kind()).isEqualTo(AuthenticationFailedException.Kind.MISSING));
        }
        for (String header : new String[] { "Basic", "Basic !!!", "Digest x", basicRaw("no-colon") }) {
            assertThatThrownBy(() -> authenticator.authenticate(header, null)).as("header %s", header)
                    .isInstanceOfSatisfying(AuthenticationFailedException.class,
                            e -> assertThat(e.kind()).isEqualTo(AuthenticationFailedException.Kind.MALFORMED));
        }
    }

    @Test
    void tokenActsForItsOwner() {
        createOperator("erin");
        IssuedToken issued = issueToken("erin");

        Caller caller = authenticator().authenticate("Bearer " + issued.text(), "192.0.2.6");

        assertThat(caller.principal().name()).isEqualTo("erin");
        assertThat(caller.principal().grants()).containsExactly(EAST_OPERATOR);
        assertThat(store.findToken(issued.token().id()).orElseThrow().lastUsedAt()).as("last use").isPresent();
    }

    @Test
    void revokedTokenIsRejected() {
        createOperator("frank");
        IssuedToken issued = issueToken("frank");
        store.revokeToken(issued.token().id());

        assertThatThrownBy(() -> authenticator().authenticate("Bearer " + issued.text(), null))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("REVOKED")
                .hasMessageNotContaining(issued.text())
                .extracting(e -> ((AuthenticationFailedException) e).kind())
                .isEqualTo(AuthenticationFailedException.Kind.REJECTED_TOKEN);
    }

    @Test
    void tokenWithWrongSecretIsRejected() {
        createOperator("grace");
        IssuedToken issued = issueToken("grace");
        String tampered = issued.text().substring(0, issued.text().length() - 1)
                + (issued.text().endsWith("A") ? "B" : "A");

        assertThatThrownBy(() -> authenticator().authenticate("Bearer " + tampered, null))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("INVALID_SECRET");
    }

    @Test
    void tokenOfDisabledOwnerIsRejected() {
        Operator owner = createOperator("heidi");
        IssuedToken issued = issueToken("heidi");
        store.setDisabled("heidi", owner.version(), true);

        assertThatThrownBy(() -> authenticator().authenticate("Bearer " + issued.text(), null))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("disabled or deleted");
    }

    private static Authenticator authenticator() {
        Clock clock = Clock.systemUTC();
        return new Authenticator(store, hasher, tokens, new LoginThrottle(clock), clock);
    }

    private static Operator createOperator(String name) {
        return store.createOperator(name, hasher.hash(PASSWORD.toCharArray()), Set.of(EAST_OPERATOR));
    }

    private static IssuedToken issueToken(String owner) {
        IssuedToken issued = tokens.issue(owner, Instant.now().plus(1, ChronoUnit.DAYS));
        store.createToken(issued.token());
        return issued;
    }

    private static String basic(String user, String password) {
        return basicRaw(user + ":" + password);
    }

    private static String basicRaw(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
