package io.weft.fleet;

import java.util.Objects;

/**
 * Rejection of a name, value or change that breaks a rule of the fleet model.
 *
 * <p>The message names the rejected value, the rule and the fix. {@link #field()} and
 * {@link Rule#code()} are stable, so a REST layer can return them as the {@code field} and
 * {@code error} members of its error response.
 */
public final class InvalidFleetInputException extends IllegalArgumentException {

    /** Rule that the input breaks. */
    public enum Rule {
        /** The value is null or empty. */
        MISSING("missing"),
        /** The value is longer than its maximum length. */
        TOO_LONG("too-long"),
        /** A collection has more elements than its maximum. */
        TOO_MANY("too-many"),
        /** The value contains a character or a structure that the field does not allow. */
        INVALID_FORMAT("invalid-format"),
        /** The value is not one of the names that the field accepts. */
        UNKNOWN_VALUE("unknown-value"),
        /** A profile value is not of the declared type. */
        WRONG_TYPE("wrong-type"),
        /** A number is outside the range that its type represents exactly. */
        OUT_OF_RANGE("out-of-range"),
        /** The name is reserved for the OSGi framework. */
        RESERVED("reserved"),
        /** The same key appears twice. */
        DUPLICATE("duplicate"),
        /**
         * A node cannot move from its lifecycle state to the requested one. The input is well
         * formed but conflicts with the stored state, so a REST layer would respond with
         * 409 Conflict.
         */
        INVALID_TRANSITION("invalid-transition");

        private final String code;

        Rule(String code) {
            this.code = code;
        }

        /** Returns the rule's code in lower-case kebab form, such as {@code too-long}. */
        public String code() {
            return code;
        }
    }

    private final String field;
    private final Rule rule;

    /**
     * @param field   the input field, such as {@code domain}, {@code pid} or {@code value}
     * @param rule    the rule that the input breaks
     * @param message the value, the rule and the fix, in full sentences
     */
    public InvalidFleetInputException(String field, Rule rule, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public String field() {
        return field;
    }

    public Rule rule() {
        return rule;
    }
}
