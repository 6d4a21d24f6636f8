package io.weft.manager.access;

import io.weft.fleet.DomainName;
import java.util.Objects;
import java.util.Optional;

/**
 * Role given to an operator, either over the whole fleet or over one domain subtree.
 *
 * <p>A grant scoped to {@code east.acme.example} covers that domain, every subdomain such as
 * {@code plant1.east.acme.example}, and the nodes in them, but not {@code westacme.example},
 * the parent {@code acme.example} or objects that belong to no domain.
 */
public final class Grant {

    private final Role role;
    private final DomainName scope;

    private Grant(Role role, DomainName scope) {
        this.role = Objects.requireNonNull(role, "role");
        this.scope = scope;
    }

    /** Returns a grant of the role over the whole fleet. */
    public static Grant fleetWide(Role role) {
        return new Grant(role, null);
    }

    /** Returns a grant of the role over the subtree rooted at {@code scope}. */
    public static Grant within(Role role, DomainName scope) {
        return new Grant(role, Objects.requireNonNull(scope, "scope"));
    }

    /** Returns a grant over the subtree rooted at {@code scope}, or over the whole fleet when it is empty. */
    public static Grant of(Role role, Optional<DomainName> scope) {
        return new Grant(role, scope.orElse(null));
    }

    public Role role() {
        return role;
    }

    /** Returns the root of the subtree that the grant covers, or empty for the whole fleet. */
    public Optional<DomainName> scope() {
        return Optional.ofNullable(scope);
    }

    /** Returns true when the target lies in the grant's scope. */
    public boolean covers(AccessTarget target) {
        if (scope == null) {
            return true;
        }
        return target.domain().map(domain -> domain.isWithin(scope)).orElse(false);
    }

    /** Returns true when the grant's role allows the action and its scope covers the target. */
    public boolean allows(Action action, AccessTarget target) {
        return role.allows(action) && covers(target);
    }

    /** Returns the target that stands for the grant's whole scope. */
    AccessTarget scopeTarget() {
        return scope == null ? AccessTarget.fleet() : AccessTarget.domain(scope);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Grant && ((Grant) other).role == role && Objects.equals(((Grant) other).scope, scope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, scope);
    }

    /** Returns the role and scope for messages, such as {@code admin in plant1.east.acme.example}. */
    @Override
    public String toString() {
        return role.code() + (scope == null ? " of the whole fleet" : " in " + scope);
    }
}
