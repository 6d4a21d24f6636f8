package io.weft.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.fleet.InvalidFleetInputException;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.PolicyProblem;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Members of one JSON object of a policy document, read with their field paths. Every problem
 * goes to the shared list, so that reading goes on and reports all problems at once.
 */
final class JsonFields {

    private final JsonNode object;
    private final String path;
    private final Optional<String> ruleId;
    private final List<PolicyProblem> problems;

    /** Reads an object whose members must be among {@code allowed}; reports each other member. */
    JsonFields(JsonNode object, String path, Optional<String> ruleId, List<PolicyProblem> problems, List<String> allowed) {
        this.object = object;
        this.path = path;
        this.ruleId = ruleId;
        this.problems = problems;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problem(name, "Unknown field " + Texts.quote(name) + ". Use one of: " + String.join(", ", allowed) + ".");
            }
        }
    }

    boolean has(String name) {
        return object.has(name);
    }

    /** Returns the path of a member, such as {@code rules[3].source}. */
    String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    Optional<String> ruleId() {
        return ruleId;
    }

    Optional<JsonNode> node(String name, boolean required) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                problem(name, "The field " + Texts.quote(name) + " is missing. Add it.");
            }
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<String> text(String name, boolean required) {
        Optional<JsonNode> value = node(name, required);
        if (value.isPresent() && !value.get().isTextual()) {
            problem(name, "Expected a string, found " + typeOf(value.get()) + ".");
            return Optional.empty();
        }
        return value.map(JsonNode::textValue);
    }

    /** Returns the array, or reports another type. At most {@code max} elements are accepted. */
    Optional<JsonNode> array(String name, boolean required, int max, String fix) {
        Optional<JsonNode> value = node(name, required);
        if (value.isPresent() && !value.get().isArray()) {
            problem(name, "Expected an array, found " + typeOf(value.get()) + ".");
            return Optional.empty();
        }
        if (value.isPresent() && value.get().size() > max) {
            problem(name, "The array has " + value.get().size() + " elements, more than the maximum of " + max + ". "
                    + fix);
            return Optional.empty();
        }
        return value;
    }

    boolean bool(String name) {
        Optional<JsonNode> value = node(name, false);
        if (value.isPresent() && !value.get().isBoolean()) {
            problem(name, "Expected true or false, found " + typeOf(value.get()) + ".");
            return false;
        }
        return value.map(JsonNode::booleanValue).orElse(false);
    }

    /** Converts a value, turning a rejection into a problem at the member's path. */
    <T> Optional<T> convert(String name, Supplier<T> conversion) {
        return convertAt(pathOf(name), ruleId, problems, conversion);
    }

    void problem(String name, String reason) {
        problems.add(new PolicyProblem(ruleId, pathOf(name), reason));
    }

    /** Converts a value, turning a rejection into problems at {@code field}. */
    static <T> Optional<T> convertAt(
            String field, Optional<String> ruleId, List<PolicyProblem> problems, Supplier<T> conversion) {
        try {
            return Optional.of(conversion.get());
        } catch (InvalidPolicyException e) {
            e.problems().forEach(p -> problems.add(new PolicyProblem(ruleId, field, p.reason())));
        } catch (InvalidFleetInputException e) {
            problems.add(new PolicyProblem(ruleId, field, e.getMessage()));
        }
        return Optional.empty();
    }

    static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
