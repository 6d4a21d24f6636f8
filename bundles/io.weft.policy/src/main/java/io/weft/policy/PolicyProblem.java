package io.weft.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * One reason why a policy, a rule or a document is invalid.
 *
 * @param ruleId the id of the rule that has the problem, empty for a problem outside a rule or
 *               for a rule whose id is itself missing
 * @param field  the JSON path of the rejected value, such as {@code rules[3].source} or
 *               {@code tests[0].expect}, or the field name when there is no document
 * @param reason the value, the rule it breaks and the fix, in full sentences
 */
public record PolicyProblem(Optional<String> ruleId, String field, String reason) {

    public PolicyProblem {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns a problem that no rule id belongs to. */
    public static PolicyProblem of(String field, String reason) {
        return new PolicyProblem(Optional.empty(), field, reason);
    }

    /**
     * Returns this problem placed in a document: under the field path prefix, such as
     * {@code rules[3].}, and attributed to {@code rule} unless it already names a rule.
     */
    public PolicyProblem within(Optional<String> rule, String fieldPrefix) {
        return new PolicyProblem(ruleId.isPresent() ? ruleId : rule, fieldPrefix + field, reason);
    }

    /** Returns {@code rule 'R7', field rules[6].source: <reason>}, or the same without the rule. */
    @Override
    public String toString() {
        String where = ruleId.map(id -> "rule '" + id + "', ").orElse("") + "field " + field;
        return where + ": " + reason;
    }
}
