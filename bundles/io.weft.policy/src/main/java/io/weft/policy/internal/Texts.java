package io.weft.policy.internal;

import io.weft.policy.InvalidPolicyException;
import java.util.function.Function;

/** Checks of the names that the policy model defines itself, and quoting for messages. */
public final class Texts {

    /** Maximum number of characters of a rejected value that a message repeats. */
    static final int MAX_QUOTED_LENGTH = 80;

    private Texts() {
    }

    /**
     * Checks a name of 1 to {@code maxLength} characters that uses only letters a-z and A-Z,
     * digits and the characters of {@code punctuation}, and starts and ends with a letter or digit.
     *
     * @param subject the kind of name in words, such as {@code rule id}
     * @throws InvalidPolicyException naming {@code field} when a rule is broken
     */
    public static String checkName(String text, int maxLength, String punctuation, String field, String subject) {
        if (text == null || text.isEmpty()) {
            throw new InvalidPolicyException(field, "The " + subject + " is missing. Send a non-empty " + subject + ".");
        }
        if (text.length() > maxLength) {
            throw new InvalidPolicyException(field, "Invalid " + subject + " " + quote(text) + ": it has "
                    + text.length() + " characters, more than the maximum of " + maxLength + ". Shorten it.");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isLetterOrDigit(c) && punctuation.indexOf(c) < 0) {
                throw new InvalidPolicyException(field, "Invalid " + subject + " " + quote(text) + ": it contains "
                        + describe(c) + ". A " + subject + " may contain only letters, digits and "
                        + listCharacters(punctuation) + ".");
            }
        }
        if (!isLetterOrDigit(text.charAt(0)) || !isLetterOrDigit(text.charAt(text.length() - 1))) {
            throw new InvalidPolicyException(field, "Invalid " + subject + " " + quote(text)
                    + ": it starts or ends with a punctuation character. Start and end it with a letter or digit.");
        }
        return text;
    }

    /**
     * Checks free text of at most {@code maxLength} characters without control characters other
     * than tab and line breaks, and without unpaired UTF-16 surrogates.
     *
     * @throws InvalidPolicyException naming {@code field}
     */
    public static String checkFreeText(String text, int maxLength, String field, String subject) {
        if (text.length() > maxLength) {
            throw new InvalidPolicyException(field, "The " + subject + " has " + text.length()
                    + " characters, more than the maximum of " + maxLength + ". Shorten it.");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new InvalidPolicyException(field, "Invalid " + subject + ": character " + (i + 1) + " is "
                        + describe(c) + ". Remove it. Only tab and line breaks are allowed.");
            }
            if (Character.isSurrogate(c) && !isPairedSurrogate(text, i)) {
                throw new InvalidPolicyException(field, "Invalid " + subject + ": character " + (i + 1)
                        + " is an unpaired UTF-16 surrogate. Send well-formed Unicode text.");
            }
        }
        return text;
    }

    /**
     * Returns the constant of {@code type} whose id equals {@code text} exactly.
     *
     * @throws InvalidPolicyException naming {@code field} and listing the valid ids
     */
    public static <E extends Enum<E>> E parseId(
            String text, Class<E> type, Function<E, String> id, String field, String subject) {
        if (text == null || text.isEmpty()) {
            throw new InvalidPolicyException(field, "The " + subject + " is missing. Send one of: "
                    + listIds(type, id) + ".");
        }
        for (E constant : type.getEnumConstants()) {
            if (id.apply(constant).equals(text)) {
                return constant;
            }
        }
        throw new InvalidPolicyException(field, "Unknown " + subject + " " + quote(text) + ". Use one of: "
                + listIds(type, id) + ".");
    }

    private static <E extends Enum<E>> String listIds(Class<E> type, Function<E, String> id) {
        StringBuilder ids = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            ids.append(ids.length() == 0 ? "" : ", ").append(id.apply(constant));
        }
        return ids.toString();
    }

    /**
     * Quotes a value for a message. Control characters are written as Java Unicode escapes, so
     * the message stays on one line, and a value longer than 80 characters is cut.
     */
    public static String quote(String value) {
        int quotedLength = Math.min(value.length(), MAX_QUOTED_LENGTH);
        StringBuilder quoted = new StringBuilder(quotedLength + 24).append('\'');
        for (int i = 0; i < quotedLength; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        quoted.append('\'');
        if (quotedLength < value.length()) {
            quoted.append("... (").append(value.length()).append(" characters)");
        }
        return quoted.toString();
    }

    private static String describe(char c) {
        String codePoint = String.format("U+%04X", (int) c);
        if (Character.isISOControl(c)) {
            return "the control character " + codePoint;
        }
        if (c > ' ' && c < 0x7f) {
            return "'" + c + "'";
        }
        return "'" + c + "' (" + codePoint + ")";
    }

    private static String listCharacters(String punctuation) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < punctuation.length(); i++) {
            list.append(i == 0 ? "" : i == punctuation.length() - 1 ? " and " : ", ")
                    .append('\'').append(punctuation.charAt(i)).append('\'');
        }
        return list.toString();
    }

    private static boolean isPairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
