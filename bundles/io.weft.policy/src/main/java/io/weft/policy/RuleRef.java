package io.weft.policy;

import io.weft.fleet.DomainName;
import java.util.Objects;

/**
 * Attribution of a decision to the rule that made it.
 *
 * @param id        the rule's id, unique within its policy
 * @param domain    the rule's attachment domain
 * @param guardrail true when the rule is a guardrail
 */
public record RuleRef(String id, DomainName domain, boolean guardrail) {

    public RuleRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
    }

    /** Returns {@code guardrail G3 at acme.example} or {@code rule R1 at east.acme.example}. */
    @Override
    public String toString() {
        return (guardrail ? "guardrail " : "rule ") + id + " at " + domain;
    }
}
