package io.weft.manager.access;

import java.util.Objects;

/**
 * Refusal of a request that the principal's grants do not allow. A REST layer responds with
 * 403 Forbidden.
 */
public final class AccessDeniedException extends RuntimeException {

    private final String principal;
    private final Action action;
    private final AccessTarget target;

    public AccessDeniedException(String principal, Action action, AccessTarget target, String message) {
        super(message);
        this.principal = Objects.requireNonNull(principal, "principal");
        this.action = Objects.requireNonNull(action, "action");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** Returns the user name of the refused principal. */
    public String principal() {
        return principal;
    }

    public Action action() {
        return action;
    }

    public AccessTarget target() {
        return target;
    }
}
