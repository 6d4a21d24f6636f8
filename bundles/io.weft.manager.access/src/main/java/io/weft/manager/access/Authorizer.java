package io.weft.manager.access;

import io.weft.manager.access.internal.Texts;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decides whether a principal may perform an action on a target, from the principal's grants
 * alone. A principal is allowed when at least one grant's role allows the action and the
 * grant's scope covers the target:
 *
 * <ul>
 * <li>a viewer reads, an operator also changes fleet objects, and an admin also reads the
 *     audit log and manages operator accounts and API tokens;</li>
 * <li>a scoped grant covers its domain's subtree, and an unscoped grant the whole fleet,
 *     including objects that belong to no domain.</li>
 * </ul>
 *
 * <p>An admin gives only grants whose scope lies within one of its admin grants, and manages
 * only accounts all of whose grants lie within one, so a plant's admin can neither reach nor
 * create access beyond the plant. Every operator manages the password and API tokens of
 * their own account. The class is stateless and thread-safe.
 */
public final class Authorizer {

    /** Returns true when one of the principal's grants allows the action on the target. */
    public boolean permits(Principal principal, Action action, AccessTarget target) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        return principal.grants().stream().anyMatch(grant -> grant.allows(action, target));
    }

    /**
     * Checks that one of the principal's grants allows the action on the target.
     *
     * @throws AccessDeniedException when none does; the message names the principal's grants
     *                               and the roles that would allow it
     */
    public void check(Principal principal, Action action, AccessTarget target) {
        if (!permits(principal, action, target)) {
            throw denial(principal, action, target);
        }
    }

    /** Returns true when the principal may give {@code grant} to an account. */
    public boolean mayGrant(Principal principal, Grant grant) {
        return permits(principal, Action.MANAGE_ACCESS, grant.scopeTarget());
    }

    /**
     * Returns true when the principal may create, change or delete an account with the grants
     * {@code accountGrants}. Each grant's scope must lie within one of the principal's admin
     * grants. An account without grants counts as fleet-wide, so only a fleet-wide admin
     * manages it.
     */
    public boolean mayManageAccount(Principal principal, Collection<Grant> accountGrants) {
        if (accountGrants.isEmpty()) {
            return permits(principal, Action.MANAGE_ACCESS, AccessTarget.fleet());
        }
        return accountGrants.stream().allMatch(grant -> mayGrant(principal, grant));
    }

    /**
     * Checks {@link #mayManageAccount}.
     *
     * @throws AccessDeniedException when the principal may not manage the account
     */
    public void checkManageAccount(Principal principal, String accountName, Collection<Grant> accountGrants) {
        if (!mayManageAccount(principal, accountGrants)) {
            AccessTarget outOfScope = accountGrants.stream()
                    .filter(grant -> !mayGrant(principal, grant))
                    .map(Grant::scopeTarget)
                    .findFirst()
                    .orElse(AccessTarget.fleet());
            throw new AccessDeniedException(principal.name(), Action.MANAGE_ACCESS, outOfScope,
                    describe(principal) + " may not manage the account " + Texts.quote(accountName) + ", which holds "
                            + describe(accountGrants) + ". This needs the role admin in a scope that contains"
                            + " every grant of the account.");
        }
    }

    /**
     * Returns true when the principal may change the password or manage the API tokens of the
     * account: its own account, or one that {@link #mayManageAccount} allows.
     */
    public boolean mayManageCredentials(Principal principal, String accountName, Collection<Grant> accountGrants) {
        return principal.name().equals(accountName) || mayManageAccount(principal, accountGrants);
    }

    /**
     * Checks {@link #mayManageCredentials}.
     *
     * @throws AccessDeniedException when the principal may not manage the account's credentials
     */
    public void checkManageCredentials(Principal principal, String accountName, Collection<Grant> accountGrants) {
        if (!principal.name().equals(accountName)) {
            checkManageAccount(principal, accountName, accountGrants);
        }
    }

    /**
     * Checks that the principal may change an account's grants from {@code current} to
     * {@code requested}: it must manage the account as it is and give every requested grant.
     *
     * @throws AccessDeniedException when either check fails
     */
    public void checkGrantChange(Principal principal, String accountName, Collection<Grant> current,
            Collection<Grant> requested) {
        checkManageAccount(principal, accountName, current);
        for (Grant grant : requested) {
            if (!mayGrant(principal, grant)) {
                throw new AccessDeniedException(principal.name(), Action.MANAGE_ACCESS, grant.scopeTarget(),
                        describe(principal) + " may not grant " + grant + " to " + Texts.quote(accountName)
                                + ". An admin grants roles only within its own scope.");
            }
        }
    }

    private static AccessDeniedException denial(Principal principal, Action action, AccessTarget target) {
        String roles = Arrays.stream(Role.values())
                .filter(role -> role.allows(action))
                .map(Role::code)
                .collect(Collectors.joining(" or "));
        String scope = target.domain().isPresent() ? "in a scope that contains it" : "over the whole fleet";
        return new AccessDeniedException(principal.name(), action, target, describe(principal) + " may not "
                + verb(action) + " " + target + ". This needs the role " + roles + " " + scope + ".");
    }

    private static String verb(Action action) {
        return switch (action) {
            case READ -> "read";
            case WRITE -> "change";
            case READ_AUDIT -> "read the audit log of";
            case MANAGE_ACCESS -> "manage access in";
        };
    }

    private static String describe(Principal principal) {
        return "Operator '" + principal.name() + "' (" + describe(principal.grants()) + ")";
    }

    private static String describe(Collection<Grant> grants) {
        if (grants.isEmpty()) {
            return "no grants";
        }
        return grants.stream().map(Grant::toString).sorted().collect(Collectors.joining(", "));
    }
}
