package io.weft.manager.policy.internal;

import java.util.List;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.core.Response;

import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.PolicyProblem;
import io.weft.policy.TestFailure;

/**
 * Turns the policy engine's rejections into the API's errors: invalid input becomes 400 with
 * the first problem's field and every problem in the message, and failing policy tests become
 * 409 with every failing case.
 */
final class PolicyErrors {

    /** Maximum number of problems or failing test cases that one message lists. */
    static final int MAX_LISTED = 20;

    private PolicyErrors() {
    }

    /**
     * Returns the 400 error of an invalid document, with each field path written as the client
     * sent it: {@code prefix} is put before each path, and {@code editedRule} such as
     * {@code rules[4].} is cut from the paths of the rule that the request sent on its own.
     *
     * @param editedRule the path prefix of the rule that the request body contains, or null
     */
    static InvalidFieldException invalid(InvalidPolicyException e, String prefix, String editedRule) {
        List<PolicyProblem> problems = e.problems().stream()
                .map(problem -> new PolicyProblem(problem.ruleId(), prefix + clientPath(problem.field(), editedRule),
                        problem.reason()))
                .toList();
        return new InvalidFieldException(problems.get(0).field(), message(problems));
    }

    /** Returns the 409 error of a change that breaks test cases of the document. */
    static ClientErrorException testsFailed(List<TestFailure> failures) {
        StringBuilder message = new StringBuilder("The change breaks ").append(failures.size())
                .append(failures.size() == 1 ? " test case" : " test cases")
                .append(" of the policy document, so it was not applied. Fix the rules or the test cases:");
        appendListed(message, failures.stream().map(TestFailure::toString).toList());
        return new ClientErrorException(message.toString(), Response.Status.CONFLICT);
    }

    private static String clientPath(String field, String editedRule) {
        if (editedRule != null && field.startsWith(editedRule)) {
            return field.substring(editedRule.length());
        }
        return field;
    }

    private static String message(List<PolicyProblem> problems) {
        if (problems.size() == 1) {
            return "Invalid policy: " + problems.get(0);
        }
        StringBuilder message = new StringBuilder("Invalid policy: ").append(problems.size()).append(" problems:");
        appendListed(message, problems.stream().map(PolicyProblem::toString).toList());
        return message.toString();
    }

    private static void appendListed(StringBuilder message, List<String> items) {
        for (String item : items.subList(0, Math.min(items.size(), MAX_LISTED))) {
            message.append("\n- ").append(item);
        }
        if (items.size() > MAX_LISTED) {
            message.append("\n- and ").append(items.size() - MAX_LISTED).append(" more");
        }
    }
}
