package io.weft.policy;

import java.util.List;
import java.util.Optional;

/**
 * Rejection of a policy, rule, selector or document, with every problem found. Validation is
 * all or nothing: an input that raises this exception changes nothing.
 *
 * <p>{@link #ruleId()}, {@link #field()} and {@link #reason()} return the first problem, so
 * callers that show one error at a time need not unpack the list.
 */
public final class InvalidPolicyException extends IllegalArgumentException {

    /** Maximum number of problems that the message repeats. {@link #problems()} has them all. */
    static final int MAX_PROBLEMS_IN_MESSAGE = 10;

    private final List<PolicyProblem> problems;

    /**
     * @param problems at least one problem, in the order found
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public InvalidPolicyException(List<PolicyProblem> problems) {
        super(messageOf(problems));
        this.problems = List.copyOf(problems);
    }

    /** Creates a rejection with one problem that no rule id belongs to. */
    public InvalidPolicyException(String field, String reason) {
        this(List.of(PolicyProblem.of(field, reason)));
    }

    public List<PolicyProblem> problems() {
        return problems;
    }

    /** Returns the rule id of the first problem, empty when it concerns no single rule. */
    public Optional<String> ruleId() {
        return problems.get(0).ruleId();
    }

    /** Returns the field path of the first problem. */
    public String field() {
        return problems.get(0).field();
    }

    /** Returns the reason of the first problem. */
    public String reason() {
        return problems.get(0).reason();
    }

    private static String messageOf(List<PolicyProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("An InvalidPolicyException needs at least one problem");
        }
        if (problems.size() == 1) {
            return "Invalid policy: " + problems.get(0);
        }

        StringBuilder message = new StringBuilder("Invalid policy: ").append(problems.size()).append(" problems.");
        for (PolicyProblem problem : problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_IN_MESSAGE))) {
            message.append("\n- ").append(problem);
        }
        if (problems.size() > MAX_PROBLEMS_IN_MESSAGE) {
            message.append("\n- and ").append(problems.size() - MAX_PROBLEMS_IN_MESSAGE).append(" more");
        }
        return message.toString();
    }
}
