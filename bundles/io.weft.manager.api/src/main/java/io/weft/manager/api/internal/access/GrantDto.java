package io.weft.manager.api.internal.access;

import java.util.Optional;

import io.weft.fleet.DomainName;
import io.weft.manager.access.Grant;
import io.weft.manager.access.InvalidAccessInputException;
import io.weft.manager.access.Role;

/**
 * A role given to an operator, as the API reads and writes it.
 *
 * @param role  {@code viewer}, {@code operator} or {@code admin}
 * @param scope the domain whose subtree the grant covers, or {@value #FLEET} for the whole fleet;
 *              required, so that a forgotten scope never widens a grant to the whole fleet
 */
public record GrantDto(String role, String scope) {

    /** The scope of a grant over the whole fleet. */
    public static final String FLEET = "*";

    public static GrantDto of(Grant grant) {
        return new GrantDto(grant.role().code(), grant.scope().map(DomainName::toString).orElse(FLEET));
    }

    /**
     * Returns the grant.
     *
     * @throws InvalidAccessInputException with field {@code grants[i].role} or {@code grants[i].scope}
     */
    Grant toGrant(int index) {
        Role parsed;
        try {
            parsed = Role.parse(role);
        } catch (InvalidAccessInputException e) {
            throw new InvalidAccessInputException("grants[" + index + "].role", e.getMessage());
        }
        if (scope == null) {
            throw new InvalidAccessInputException("grants[" + index + "].scope", "The scope is missing: send a domain"
                    + " such as \"east.acme.example\" for its subtree, or \"" + FLEET + "\" for the whole fleet.");
        }
        if (scope.equals(FLEET)) {
            return Grant.fleetWide(parsed);
        }
        try {
            return Grant.of(parsed, Optional.of(DomainName.of(scope)));
        } catch (IllegalArgumentException e) {
            throw new InvalidAccessInputException("grants[" + index + "].scope", e.getMessage());
        }
    }
}
