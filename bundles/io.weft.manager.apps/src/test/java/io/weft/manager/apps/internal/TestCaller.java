package io.weft.manager.apps.internal;

import java.util.HashSet;
import java.util.Set;

import io.weft.fleet.DomainName;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.access.Grant;
import io.weft.manager.access.Principal;
import io.weft.manager.access.Role;

/** Caller with given grants, as the authentication filter would set it, for tests of the service. */
record TestCaller(Principal principal, String remoteAddress) implements ApiCaller {

    static TestCaller fleetWide(Role role) {
        return new TestCaller(new Principal(role.code() + "-fleet", Set.of(Grant.fleetWide(role))), "127.0.0.1");
    }

    static TestCaller within(String name, Role role, String... scopes) {
        Set<Grant> grants = new HashSet<>();
        for (String scope : scopes) {
            grants.add(Grant.within(role, DomainName.of(scope)));
        }
        return new TestCaller(new Principal(name, grants), "127.0.0.1");
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
