package io.weft.policy;

import io.weft.policy.internal.Texts;
import java.util.Objects;

/**
 * Test case of a policy document: a flow and the action that the document's rules must take.
 *
 * @param name     a label for reports, at most {@value #MAX_NAME_LENGTH} characters
 * @param flow     the flow to decide
 * @param expected the action that the policy must return
 */
public record PolicyTest(String name, Flow flow, Action expected) {

    public static final int MAX_NAME_LENGTH = 200;

    public PolicyTest {
        Texts.checkFreeText(Objects.requireNonNull(name, "name"), MAX_NAME_LENGTH, "name", "test name");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(expected, "expected");
    }
}
