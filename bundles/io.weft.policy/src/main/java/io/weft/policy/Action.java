package io.weft.policy;

import io.weft.policy.internal.Texts;

/** Effect of a rule on the flows that it matches. */
public enum Action {

    /** The flow may pass. */
    ALLOW("allow"),

    /** The flow is rejected. */
    DENY("deny");

    private final String id;

    Action(String id) {
        this.id = id;
    }

    /**
     * Parses {@code allow} or {@code deny}, in lower case as in a document.
     *
     * @throws InvalidPolicyException with field {@code action} for any other text
     */
    public static Action parse(String text) {
        return Texts.parseId(text, Action.class, Action::id, "action", "action");
    }

    /** Returns {@code allow} or {@code deny}. */
    public String id() {
        return id;
    }
}
