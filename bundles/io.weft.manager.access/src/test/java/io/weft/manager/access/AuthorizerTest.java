package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizerTest {

    private static final DomainName EAST = DomainName.of("east.acme.example");
    private static final DomainName PLANT1 = DomainName.of("plant1.east.acme.example");
    private static final DomainName WEST = DomainName.of("west.acme.example");

    private final Authorizer authorizer = new Authorizer();

    /**
     * Scope '*' is a fleet-wide grant. Target 'fleet' is an object outside every domain, a name
     * with a 'node:' prefix is a node and any other name a domain.
     */
    @ParameterizedTest(name = "{0} in {1} {3} {2}: {4}")
    @CsvSource(delimiter = '|', value = {
        "viewer   | east.acme.example        | east.acme.example                 | READ          | true",
        "viewer   | east.acme.example        | plant1.east.acme.example          | READ          | true",
        "viewer   | east.acme.example        | node:gw1.plant1.east.acme.example | READ          | true",
        "viewer   | east.acme.example        | northeast.acme.example            | READ          | false",
        "viewer   | east.acme.example        | acme.example                      | READ          | false",
        "viewer   | east.acme.example        | fleet                             | READ          | false",
        "viewer   | east.acme.example        | east.acme.example                 | WRITE         | false",
        "viewer   | east.acme.example        | east.acme.example                 | READ_AUDIT    | false",
        "viewer   | east.acme.example        | east.acme.example                 | MANAGE_ACCESS | false",
        "viewer   | *                        | fleet                             | READ          | true",
        "viewer   | *                        | node:gw1.west.acme.example        | READ          | true",
        "viewer   | *                        | west.acme.example                 | WRITE         | false",
        "operator | east.acme.example        | node:gw1.plant1.east.acme.example | WRITE         | true",
        "operator | east.acme.example        | east.acme.example                 | WRITE         | true",
        "operator | east.acme.example        | west.acme.example                 | READ          | false",
        "operator | east.acme.example        | node:gw1.west.acme.example        | WRITE         | false",
        "operator | east.acme.example        | fleet                             | WRITE         | false",
        "operator | east.acme.example        | east.acme.example                 | READ_AUDIT    | false",
        "operator | east.acme.example        | east.acme.example                 | MANAGE_ACCESS | false",
        "operator | *                        | fleet                             | WRITE         | true",
        "operator | *                        | fleet                             | MANAGE_ACCESS | false",
        "admin    | east.acme.example        | plant1.east.acme.example          | MANAGE_ACCESS | true",
        "admin    | east.acme.example        | east.acme.example                 | READ_AUDIT    | true",
        "admin    | east.acme.example        | node:gw1.east.acme.example        | WRITE         | true",
        "admin    | east.acme.example        | west.acme.example                 | READ          | false",
        "admin    | east.acme.example        | acme.example                      | MANAGE_ACCESS | false",
        "admin    | east.acme.example        | fleet                             | MANAGE_ACCESS | false",
        "admin    | east.acme.example        | fleet                             | READ_AUDIT    | false",
        "admin    | plant1.east.acme.example | east.acme.example                 | MANAGE_ACCESS | false",
        "admin    | *                        | fleet                             | MANAGE_ACCESS | true",
        "admin    | *                        | node:gw1.west.acme.example        | READ_AUDIT    | true",
    })
    void permitsTable(String role, String scope, String target, Action action, boolean allowed) {
        Principal principal = principal(grant(role, scope));

        assertThat(authorizer.permits(principal, action, target(target))).isEqualTo(allowed);
    }

    @Test
    void permitsWhenAnyGrantAllows() {
        Principal principal = principal(Grant.fleetWide(Role.VIEWER), Grant.within(Role.OPERATOR, EAST));

        assertThat(authorizer.permits(principal, Action.WRITE, AccessTarget.domain(PLANT1))).isTrue();
        assertThat(authorizer.permits(principal, Action.READ, AccessTarget.domain(WEST))).isTrue();
        assertThat(authorizer.permits(principal, Action.WRITE, AccessTarget.domain(WEST))).isFalse();
    }

    @Test
    void permitsNothingWithoutGrants() {
        Principal principal = principal();

        assertThat(authorizer.permits(principal, Action.READ, AccessTarget.domain(EAST))).isFalse();
    }

    @Test
    void checkNamesGrantsAndNeededRoles() {
        Principal principal = principal(Grant.within(Role.VIEWER, EAST));
        AccessTarget node = AccessTarget.node(NodeFullName.parse("gw1.west.acme.example"));

        AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.check(principal, Action.WRITE, node));

        assertThat(denied).hasMessage("Operator 'alice' (viewer in east.acme.example) may not change node"
                + " 'gw1.west.acme.example'. This needs the role operator or admin in a scope that contains it.");
        assertThat(denied.principal()).isEqualTo("alice");
        assertThat(denied.action()).isEqualTo(Action.WRITE);
        assertThat(denied.target()).isEqualTo(node);
    }

    @Test
    void checkExplainsFleetTarget() {
        Principal principal = principal(Grant.within(Role.ADMIN, EAST));

        AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.check(principal, Action.MANAGE_ACCESS, AccessTarget.fleet()));

        assertThat(denied).hasMessage("Operator 'alice' (admin in east.acme.example) may not manage access in the"
                + " whole fleet. This needs the role admin over the whole fleet.");
    }

    @Test
    void scopedAdminGrantsOnlyWithinScope() {
        Principal admin = principal(Grant.within(Role.ADMIN, EAST));

        assertThat(authorizer.mayGrant(admin, Grant.within(Role.ADMIN, EAST))).isTrue();
        assertThat(authorizer.mayGrant(admin, Grant.within(Role.OPERATOR, PLANT1))).isTrue();
        assertThat(authorizer.mayGrant(admin, Grant.within(Role.VIEWER, WEST))).isFalse();
        assertThat(authorizer.mayGrant(admin, Grant.within(Role.VIEWER, DomainName.of("acme.example")))).isFalse();
        assertThat(authorizer.mayGrant(admin, Grant.fleetWide(Role.VIEWER))).isFalse();
    }

    @Test
    void operatorGrantsNothing() {
        Principal operator = principal(Grant.fleetWide(Role.OPERATOR));

        assertThat(authorizer.mayGrant(operator, Grant.within(Role.VIEWER, PLANT1))).isFalse();
    }

    @Test
    void fleetAdminGrantsAnything() {
        Principal admin = principal(Grant.fleetWide(Role.ADMIN));

        assertThat(authorizer.mayGrant(admin, Grant.fleetWide(Role.ADMIN))).isTrue();
        assertThat(authorizer.mayGrant(admin, Grant.within(Role.VIEWER, WEST))).isTrue();
    }

    @Test
    void scopedAdminManagesAccountsWithinScope() {
        Principal admin = principal(Grant.within(Role.ADMIN, EAST));

        assertThat(authorizer.mayManageAccount(admin, List.of(Grant.within(Role.OPERATOR, PLANT1)))).isTrue();
        assertThat(authorizer.mayManageAccount(admin, List.of(Grant.within(Role.ADMIN, EAST),
                Grant.within(Role.VIEWER, PLANT1)))).isTrue();
        assertThat(authorizer.mayManageAccount(admin, List.of(Grant.within(Role.OPERATOR, PLANT1),
                Grant.fleetWide(Role.VIEWER)))).isFalse();
        assertThat(authorizer.mayManageAccount(admin, List.of())).isFalse();
    }

    @Test
    void fleetAdminManagesAccountWithoutGrants() {
        Principal admin = principal(Grant.fleetWide(Role.ADMIN));

        assertThat(authorizer.mayManageAccount(admin, List.of())).isTrue();
    }

    @Test
    void checkManageAccountNamesRefusedScope() {
        Principal admin = principal(Grant.within(Role.ADMIN, EAST));
        List<Grant> accountGrants = List.of(Grant.within(Role.OPERATOR, PLANT1), Grant.within(Role.VIEWER, WEST));

        AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.checkManageAccount(admin, "bob", accountGrants));

        assertThat(denied.target()).isEqualTo(AccessTarget.domain(WEST));
        assertThat(denied).hasMessage("Operator 'alice' (admin in east.acme.example) may not manage the account"
                + " 'bob', which holds operator in plant1.east.acme.example, viewer in west.acme.example. This needs"
                + " the role admin in a scope that contains every grant of the account.");
    }

    @Test
    void everyoneManagesOwnCredentials() {
        Principal viewer = principal(Grant.within(Role.VIEWER, EAST));
        List<Grant> otherGrants = List.of(Grant.within(Role.VIEWER, EAST));

        assertThat(authorizer.mayManageCredentials(viewer, "alice", viewer.grants())).isTrue();
        assertThat(authorizer.mayManageCredentials(viewer, "bob", otherGrants)).isFalse();
        assertThatCode(() -> authorizer.checkManageCredentials(viewer, "alice", viewer.grants()))
                .doesNotThrowAnyException();
        assertThat(catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.checkManageCredentials(viewer, "bob", otherGrants))).isNotNull();
    }

    @Test
    void adminManagesCredentialsWithinScope() {
        Principal admin = principal(Grant.within(Role.ADMIN, EAST));

        assertThat(authorizer.mayManageCredentials(admin, "bob", List.of(Grant.within(Role.OPERATOR, PLANT1)))).isTrue();
        assertThat(authorizer.mayManageCredentials(admin, "root", List.of(Grant.fleetWide(Role.ADMIN)))).isFalse();
    }

    @Test
    void grantChangeStaysWithinScope() {
        Principal admin = principal(Grant.within(Role.ADMIN, EAST));
        List<Grant> current = List.of(Grant.within(Role.VIEWER, PLANT1));

        assertThatCode(() -> authorizer.checkGrantChange(admin, "bob", current,
                List.of(Grant.within(Role.ADMIN, PLANT1)))).doesNotThrowAnyException();

        AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.checkGrantChange(admin, "bob", current, List.of(Grant.fleetWide(Role.ADMIN))));
        assertThat(denied.target()).isEqualTo(AccessTarget.fleet());
        assertThat(denied).hasMessage("Operator 'alice' (admin in east.acme.example) may not grant admin of the"
                + " whole fleet to 'bob'. An admin grants roles only within its own scope.");
    }

    @Test
    void grantChangeNeedsCurrentAccountInScope() {
        Principal admin = principal(Grant.within(Role.ADMIN, EAST));
        List<Grant> current = List.of(Grant.within(Role.OPERATOR, WEST));

        AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                () -> authorizer.checkGrantChange(admin, "bob", current, List.of(Grant.within(Role.VIEWER, PLANT1))));

        assertThat(denied.target()).isEqualTo(AccessTarget.domain(WEST));
    }

    private static Principal principal(Grant... grants) {
        return new Principal("alice", Set.of(grants));
    }

    private static Grant grant(String role, String scope) {
        return scope.equals("*") ? Grant.fleetWide(Role.parse(role)) : Grant.within(Role.parse(role), DomainName.of(scope));
    }

    private static AccessTarget target(String text) {
        if (text.equals("fleet")) {
            return AccessTarget.fleet();
        }
        if (text.startsWith("node:")) {
            return AccessTarget.node(NodeFullName.parse(text.substring("node:".length())));
        }
        return AccessTarget.domain(DomainName.of(text));
    }
}
