package io.weft.fleet.internal;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.InvalidFleetInputException.Rule;

/** Helpers that check input text and quote it safely in error messages. */
public final class Inputs {

    /** Maximum number of characters of a rejected value that an error message repeats. */
    static final int MAX_QUOTED_LENGTH = 80;

    private Inputs() {
    }

    /**
     * Returns {@code text} unless it is null or empty.
     *
     * @param subject the field in words, such as {@code domain} or {@code node name}
     * @throws InvalidFleetInputException with rule {@link Rule#MISSING}
     */
    public static String requirePresent(String text, String field, String subject) {
        if (text == null || text.isEmpty()) {
            throw new InvalidFleetInputException(field, Rule.MISSING,
                    "The " + subject + " is missing. Send a non-empty " + subject + ".");
        }
        return text;
    }

    /**
     * Returns {@code text} unless it has more than {@code max} characters.
     *
     * @throws InvalidFleetInputException with rule {@link Rule#TOO_LONG}
     */
    public static String requireMaxLength(String text, int max, String field, String subject) {
        if (text.length() > max) {
            throw new InvalidFleetInputException(field, Rule.TOO_LONG,
                    "Invalid " + subject + " " + quote(text) + ": it has " + text.length()
                            + " characters, more than the maximum of " + max + ". Shorten it.");
        }
        return text;
    }

    /**
     * Returns {@code text} unless it contains a UTF-16 surrogate without its pair. Such text
     * cannot be encoded as UTF-8, so neither the database nor the audit log could keep it.
     *
     * @throws InvalidFleetInputException with rule {@link Rule#INVALID_FORMAT}
     */
    public static String requireWellFormedUnicode(String text, String field, String subject) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                    : !Character.isLowSurrogate(c);
            if (!paired) {
                throw new InvalidFleetInputException(field, Rule.INVALID_FORMAT, "Invalid " + subject
                        + ": character " + (i + 1) + " is the unpaired UTF-16 surrogate "
                        + String.format("U+%04X", (int) c) + ". Send well-formed Unicode text.");
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return text;
    }

    /**
     * Quotes a value for an error message. Control characters are written as Java Unicode
     * escapes, so the message stays on one line. A value longer than 80 characters is cut and
     * followed by its full length.
     */
    public static String quote(String value) {
        int quotedLength = Math.min(value.length(), MAX_QUOTED_LENGTH);
        StringBuilder quoted = new StringBuilder(quotedLength + 24).append('\'');
        for (int i = 0; i < quotedLength; i++) {
            appendEscaped(quoted, value.charAt(i));
        }
        quoted.append('\'');
        if (quotedLength < value.length()) {
            quoted.append("... (").append(value.length()).append(" characters)");
        }
        return quoted.toString();
    }

    /**
     * Describes one character for an error message: {@code '_'} for printable ASCII, the code
     * point as well for other characters, such as {@code ' ' (U+0020)}, and only the code point
     * for a control character.
     */
    public static String describe(char c) {
        String codePoint = String.format("U+%04X", (int) c);
        if (Character.isISOControl(c)) {
            return "the control character " + codePoint;
        }
        if (c > ' ' && c < 0x7f) {
            return "'" + c + "'";
        }
        return "'" + c + "' (" + codePoint + ")";
    }

    private static void appendEscaped(StringBuilder quoted, char c) {
        if (Character.isISOControl(c)) {
            quoted.append(String.format("\\u%04x", (int) c));
        } else {
            quoted.append(c);
        }
    }
}
