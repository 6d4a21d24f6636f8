package io.weft.manager.access;

import io.weft.manager.access.internal.Texts;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Role of an operator or API token, from the least to the most powerful. */
public enum Role {

    /** Reads fleet objects. */
    VIEWER(EnumSet.of(Action.READ)),
    /** Reads and changes fleet objects. */
    OPERATOR(EnumSet.of(Action.READ, Action.WRITE)),
    /** Also reads the audit log and manages operator accounts, their grants and API tokens. */
    ADMIN(EnumSet.allOf(Action.class));

    private final Set<Action> actions;

    Role(Set<Action> actions) {
        this.actions = actions;
    }

    /** Returns true when this role allows the action within the scope of its grant. */
    public boolean allows(Action action) {
        return actions.contains(action);
    }

    /** Returns the role's name as the API and the store spell it: {@code viewer}, {@code operator} or {@code admin}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a role code, ignoring case.
     *
     * @throws InvalidAccessInputException with field {@code role} when the code is not viewer,
     *                                     operator or admin
     */
    public static Role parse(String code) {
        if (code == null || code.isEmpty()) {
            throw new InvalidAccessInputException("role", "Missing role. Use one of viewer, operator or admin.");
        }
        for (Role role : values()) {
            if (role.code().equalsIgnoreCase(code)) {
                return role;
            }
        }
        throw new InvalidAccessInputException("role", "Unknown role " + Texts.quote(code)
                + ". Use one of viewer, operator or admin.");
    }
}
