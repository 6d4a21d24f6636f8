package io.weft.policy.internal;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.ClientName;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reader and writer of the selector text form, such as
 * {@code all(domain:east.acme.example, any(tag:camera, role:gateway))}. Spaces are allowed
 * around parentheses and commas, and nowhere inside a term.
 */
public final class SelectorText {

    /** The kinds of terms, in the order that messages list them. */
    public static final List<String> KINDS = List.of("node", "domain", "tag", "cluster", "role", "client");

    /** Maximum length of a selector's text, in characters. */
    public static final int MAX_LENGTH = 4096;

    private final String text;
    private final String field;
    private int position;

    private SelectorText(String text, String field) {
        this.text = text;
        this.field = field;
    }

    /**
     * Parses a selector's text form.
     *
     * @param field the field named in rejections, such as {@code source}
     * @throws InvalidPolicyException naming {@code field}
     */
    public static Selector parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidPolicyException(field, "The selector is missing. Write one such as 'tag:camera' or"
                    + " 'domain:east.acme.example'.");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidPolicyException(field, "The selector has " + text.length()
                    + " characters, more than the maximum of " + MAX_LENGTH + ". Split the rule.");
        }
        SelectorText reader = new SelectorText(text, field);
        Selector selector = reader.readSelector();
        reader.skipSpaces();
        if (reader.position < text.length()) {
            throw reader.invalid("unexpected " + reader.describeNext() + ". A selector is one term such as"
                    + " 'tag:camera', or all(...) or any(...) around several terms.");
        }
        return selector;
    }

    /**
     * Builds one term from its kind and value, as in {@code tag} and {@code camera}.
     *
     * @throws InvalidPolicyException naming {@code field} for an unknown kind or a malformed value
     */
    public static Selector term(String kind, String value, String field) {
        try {
            return switch (kind) {
                case "node" -> new Selector.ByNode(NodeFullName.parse(value));
                case "domain" -> new Selector.ByDomain(DomainName.of(value));
                case "tag" -> new Selector.ByTag(Tag.of(value));
                case "cluster" -> new Selector.ByCluster(ClusterName.of(value));
                case "role" -> new Selector.ByRole(NodeRole.parse(value));
                case "client" -> new Selector.ByClient(ClientName.of(value));
                default -> throw unknownKind(kind, field);
            };
        } catch (InvalidFleetInputException e) {
            throw new InvalidPolicyException(field, e.getMessage());
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException(field, e.reason());
        }
    }

    /** Returns the message of a rejected selector kind, listing the valid ones. */
    public static InvalidPolicyException unknownKind(String kind, String field) {
        return new InvalidPolicyException(field, "Unknown selector kind " + Texts.quote(kind) + ". Use one of: "
                + String.join(", ", KINDS) + ", all(...) or any(...).");
    }

    /**
     * Returns an unmodifiable copy of the parts of {@code all(...)} or {@code any(...)} after
     * checking the limits on parts, nesting and terms.
     *
     * @throws InvalidPolicyException with field {@code selector}
     */
    public static List<Selector> requireParts(List<Selector> parts, String name) {
        List<Selector> copy = List.copyOf(Objects.requireNonNull(parts, "parts"));
        if (copy.isEmpty()) {
            throw new InvalidPolicyException("selector", name + "() has no parts. Put at least one term inside,"
                    + " such as " + name + "(tag:camera).");
        }
        int nesting = 1 + copy.stream().mapToInt(SelectorText::nesting).max().orElse(0);
        if (nesting > Selector.MAX_NESTING) {
            throw new InvalidPolicyException("selector", "The selector nests all(...) and any(...) " + nesting
                    + " deep, more than the maximum of " + Selector.MAX_NESTING + ". Flatten it.");
        }
        int terms = copy.stream().mapToInt(SelectorText::terms).sum();
        if (terms > Selector.MAX_TERMS) {
            throw new InvalidPolicyException("selector", "The selector has " + terms + " terms, more than the"
                    + " maximum of " + Selector.MAX_TERMS + ". Split the rule or use a tag or a domain instead.");
        }
        return copy;
    }

    /** Writes {@code name(part1, part2)}. */
    public static String write(String name, List<Selector> parts) {
        StringBuilder text = new StringBuilder(name).append('(');
        for (int i = 0; i < parts.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(parts.get(i));
        }
        return text.append(')').toString();
    }

    private static int nesting(Selector selector) {
        if (selector instanceof Selector.AllOf all) {
            return 1 + all.parts().stream().mapToInt(SelectorText::nesting).max().orElse(0);
        }
        if (selector instanceof Selector.AnyOf any) {
            return 1 + any.parts().stream().mapToInt(SelectorText::nesting).max().orElse(0);
        }
        return 0;
    }

    private static int terms(Selector selector) {
        int[] count = {0};
        selector.forEachTerm(term -> count[0]++);
        return count[0];
    }

    private Selector readSelector() {
        skipSpaces();
        int start = position;
        String word = readWord();
        skipSpaces();
        if (peek() == '(') {
            return readGroup(word, start);
        }
        if (peek() != ':') {
            position = start;
            throw invalid("expected a term such as 'tag:camera' or all(...) or any(...), found "
                    + describeNext() + ".");
        }
        if (!KINDS.contains(word)) {
            throw new InvalidPolicyException(field, prefix(start) + unknownKind(word, field).reason());
        }
        position++;
        int valueStart = position;
        return term(word, readValue(), valueStart);
    }

    private Selector term(String kind, String value, int valueStart) {
        try {
            return term(kind, value, field);
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException(field, prefix(valueStart) + e.reason());
        }
    }

    private Selector readGroup(String name, int start) {
        if (!name.equals("all") && !name.equals("any")) {
            throw new InvalidPolicyException(field, prefix(start) + "unknown group " + Texts.quote(name)
                    + ". Use all(...) or any(...).");
        }
        position++;
        List<Selector> parts = new ArrayList<>();
        parts.add(readSelector());
        skipSpaces();
        while (peek() == ',') {
            position++;
            parts.add(readSelector());
            skipSpaces();
        }
        if (peek() != ')') {
            throw invalid("expected ',' or ')' in " + name + "(...), found " + describeNext() + ".");
        }
        position++;
        try {
            return name.equals("all") ? new Selector.AllOf(parts) : new Selector.AnyOf(parts);
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException(field, prefix(start) + e.reason());
        }
    }

    private String readWord() {
        int start = position;
        while (position < text.length() && Character.isLetter(text.charAt(position))) {
            position++;
        }
        return text.substring(start, position);
    }

    private String readValue() {
        int start = position;
        while (position < text.length() && ",() \t\r\n".indexOf(text.charAt(position)) < 0) {
            position++;
        }
        return text.substring(start, position);
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private String describeNext() {
        return position < text.length() ? Texts.quote(text.substring(position, position + 1)) : "the end of the text";
    }

    private InvalidPolicyException invalid(String problem) {
        return new InvalidPolicyException(field, prefix(position) + problem);
    }

    private String prefix(int at) {
        return "Invalid selector " + Texts.quote(text) + " at character " + (at + 1) + ": ";
    }
}
