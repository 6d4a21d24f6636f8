package io.weft.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.PolicyProblem;
import io.weft.policy.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON form of a selector: the text form as a string, or an object with one member, such as
 * {@code {"tag": "camera"}}, {@code {"allOf": [...]}} or {@code {"anyOf": [...]}}, whose
 * array elements are selectors in either form.
 */
public final class SelectorJson {

    private SelectorJson() {
    }

    /**
     * Reads a selector, adding every problem to {@code problems} under the path {@code field}.
     *
     * @return the selector, or empty when there were problems
     */
    static Optional<Selector> read(JsonNode value, String field, Optional<String> ruleId, List<PolicyProblem> problems) {
        int before = problems.size();
        Optional<Selector> selector = readAny(value, field, ruleId, problems);
        return problems.size() > before ? Optional.empty() : selector;
    }

    /** Writes terms as text and {@code all(...)} and {@code any(...)} as objects. */
    public static JsonNode write(Selector selector) {
        if (selector instanceof Selector.AllOf all) {
            return group("allOf", all.parts());
        }
        if (selector instanceof Selector.AnyOf any) {
            return group("anyOf", any.parts());
        }
        return TextNode.valueOf(selector.toString());
    }

    private static Optional<Selector> readAny(
            JsonNode value, String field, Optional<String> ruleId, List<PolicyProblem> problems) {
        if (value.isTextual()) {
            return JsonFields.convertAt(field, ruleId, problems, () -> SelectorText.parse(value.textValue(), field));
        }
        if (!value.isObject() || value.size() != 1) {
            problems.add(new PolicyProblem(ruleId, field, "Expected a selector: a string such as 'tag:camera', or an"
                    + " object with one member such as {\"tag\": \"camera\"} or {\"anyOf\": [...]}, found "
                    + (value.isObject() ? "an object with " + value.size() + " members" : JsonFields.typeOf(value))
                    + "."));
            return Optional.empty();
        }

        Map.Entry<String, JsonNode> member = value.fields().next();
        String kind = member.getKey();
        String memberField = field + "." + kind;
        if (kind.equals("allOf") || kind.equals("anyOf")) {
            return readGroup(kind, member.getValue(), memberField, ruleId, problems);
        }
        if (!SelectorText.KINDS.contains(kind)) {
            InvalidPolicyException unknown = SelectorText.unknownKind(kind, field);
            problems.add(new PolicyProblem(ruleId, memberField, unknown.reason()));
            return Optional.empty();
        }
        if (!member.getValue().isTextual()) {
            problems.add(new PolicyProblem(ruleId, memberField, "Expected a string, found "
                    + JsonFields.typeOf(member.getValue()) + "."));
            return Optional.empty();
        }
        String text = member.getValue().textValue();
        return JsonFields.convertAt(memberField, ruleId, problems, () -> SelectorText.term(kind, text, memberField));
    }

    private static Optional<Selector> readGroup(
            String kind, JsonNode array, String field, Optional<String> ruleId, List<PolicyProblem> problems) {
        if (!array.isArray()) {
            problems.add(new PolicyProblem(ruleId, field, "Expected an array of selectors, found "
                    + JsonFields.typeOf(array) + "."));
            return Optional.empty();
        }
        if (array.size() > Selector.MAX_TERMS) {
            problems.add(new PolicyProblem(ruleId, field, "The array has " + array.size() + " selectors, more than"
                    + " the maximum of " + Selector.MAX_TERMS + " terms in one selector. Split the rule."));
            return Optional.empty();
        }

        int before = problems.size();
        List<Selector> parts = new ArrayList<>();
        int index = 0;
        for (Iterator<JsonNode> elements = array.elements(); elements.hasNext(); index++) {
            readAny(elements.next(), field + "[" + index + "]", ruleId, problems).ifPresent(parts::add);
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return JsonFields.convertAt(field, ruleId, problems,
                () -> kind.equals("allOf") ? new Selector.AllOf(parts) : new Selector.AnyOf(parts));
    }

    private static ObjectNode group(String name, List<Selector> parts) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        ArrayNode array = object.putArray(name);
        parts.forEach(part -> array.add(write(part)));
        return object;
    }
}
