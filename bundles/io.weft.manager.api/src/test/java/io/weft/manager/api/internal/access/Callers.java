package io.weft.manager.api.internal.access;

import java.util.Set;

import io.weft.fleet.DomainName;
import io.weft.manager.access.Grant;
import io.weft.manager.access.Principal;
import io.weft.manager.access.Role;

/** Callers with given grants, for tests of the service layer. */
public final class Callers {

    /** Remote address that test callers report. */
    public static final String ADDRESS = "127.0.0.1";

    private Callers() {
    }

    public static Caller fleetWide(Role role) {
        return new Caller(new Principal(role.code() + "-fleet", Set.of(Grant.fleetWide(role))), ADDRESS);
    }

    public static Caller within(String name, Role role, String... scopes) {
        Set<Grant> grants = new java.util.HashSet<>();
        for (String scope : scopes) {
            grants.add(Grant.within(role, DomainName.of(scope)));
        }
        return new Caller(new Principal(name, grants), ADDRESS);
    }
}
