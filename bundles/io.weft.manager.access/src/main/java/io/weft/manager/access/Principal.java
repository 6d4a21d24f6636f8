package io.weft.manager.access;

import io.weft.manager.access.internal.Texts;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authenticated operator on whose behalf a request runs, with the grants of the account. A
 * request made with an API token runs as the token's owner.
 *
 * @param name   the operator's user name in the lower-case form that {@link #normalizeName} returns
 * @param grants the account's grants; an empty set allows nothing
 */
public record Principal(String name, Set<Grant> grants) {

    /** Maximum length of a user name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * @throws InvalidAccessInputException with field {@code userName} when the name breaks the
     *                                     rule of {@link #normalizeName} or is not in lower case
     */
    public Principal {
        requireNormalizedName(name);
        grants = Set.copyOf(Objects.requireNonNull(grants, "grants"));
    }

    /**
     * Validates a user name and folds it to lower case, so that {@code Alice} and
     * {@code alice} are one account. A user name has 1 to {@value #MAX_NAME_LENGTH} characters:
     * ASCII letters, digits, '.', '_' and '-', starting with a letter or a digit.
     *
     * @throws InvalidAccessInputException with field {@code userName} when the name breaks the rule
     */
    public static String normalizeName(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidAccessInputException("userName", "Missing user name.");
        }
        if (text.length() > MAX_NAME_LENGTH || !NAME.matcher(text).matches()) {
            throw new InvalidAccessInputException("userName", "Invalid user name " + Texts.quote(text)
                    + ": use 1 to " + MAX_NAME_LENGTH + " ASCII letters, digits, '.', '_' and '-', starting"
                    + " with a letter or a digit.");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** Checks that {@code name} is a user name as {@link #normalizeName} returns it. */
    static void requireNormalizedName(String name) {
        if (!normalizeName(name).equals(name)) {
            throw new InvalidAccessInputException("userName", "User name " + Texts.quote(name)
                    + " is not in lower case. Pass it through Principal.normalizeName first.");
        }
    }
}
