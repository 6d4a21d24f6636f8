package io.weft.policy;

import java.util.Objects;

/**
 * Test case whose flow the policy decided differently than expected.
 *
 * @param test   the test case
 * @param actual the policy's decision, with the deciding rule
 */
public record TestFailure(PolicyTest test, Decision actual) {

    public TestFailure {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(actual, "actual");
    }

    /** Returns {@code test 'name': expected allow, got deny (no rule allows ...)}. */
    @Override
    public String toString() {
        return "test '" + test.name() + "': expected " + test.expected().id() + ", got " + actual;
    }
}
