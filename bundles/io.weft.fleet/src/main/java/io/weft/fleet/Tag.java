package io.weft.fleet;

import static io.weft.fleet.internal.Inputs.describe;
import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.internal.Inputs;
import java.util.Locale;

/**
 * Label that an operator attaches to nodes so that policies and deployments can select them,
 * such as {@code gpu} or {@code site.plant1}.
 *
 * <p>A tag has 1 to 63 characters: letters a-z, digits, {@code '-'}, {@code '_'} and
 * {@code '.'}, and it starts and ends with a letter or digit. Upper-case letters are folded to
 * lower case, so {@code GPU} and {@code gpu} are the same tag. Tags sort by their text.
 */
public final class Tag implements Comparable<Tag> {

    /** Maximum length in characters. */
    public static final int MAX_LENGTH = 63;

    private static final String FIELD = "tags";

    private final String text;

    private Tag(String text) {
        this.text = text;
    }

    /**
     * Parses and validates a tag, folding it to lower case.
     *
     * @throws InvalidFleetInputException with field {@code tags} when the tag breaks a rule
     */
    public static Tag of(String text) {
        Inputs.requirePresent(text, FIELD, "tag");
        Inputs.requireMaxLength(text, MAX_LENGTH, FIELD, "tag");
        checkCharacters(text);
        checkEnds(text);
        return new Tag(text.toLowerCase(Locale.ROOT));
    }

    private static void checkCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
                throw new InvalidFleetInputException(FIELD, Rule.INVALID_FORMAT, "Invalid tag " + quote(text)
                        + ": it contains " + describe(c) + ". A tag may contain only letters a-z,"
                        + " digits 0-9, '-', '_' and '.'.");
            }
        }
    }

    private static void checkEnds(String text) {
        if (!isLetterOrDigit(text.charAt(0)) || !isLetterOrDigit(text.charAt(text.length() - 1))) {
            throw new InvalidFleetInputException(FIELD, Rule.INVALID_FORMAT, "Invalid tag " + quote(text)
                    + ": it starts or ends with a punctuation character. Start and end the tag with"
                    + " a letter or digit.");
        }
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @Override
    public int compareTo(Tag other) {
        return text.compareTo(other.text);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tag && ((Tag) other).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Returns the tag in lower case. */
    @Override
    public String toString() {
        return text;
    }
}
