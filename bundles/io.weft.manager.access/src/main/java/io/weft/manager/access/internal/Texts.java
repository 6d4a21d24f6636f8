package io.weft.manager.access.internal;

/** Formatting of untrusted input for error messages. */
public final class Texts {

    /** Maximum number of characters of an input that a message repeats. */
    static final int MAX_QUOTED_LENGTH = 64;

    private Texts() {
    }

    /**
     * Quotes a value for a message, shortened to {@value #MAX_QUOTED_LENGTH} characters and with
     * control characters replaced by '?', so that input cannot forge lines in a log.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shortened = value.length() > MAX_QUOTED_LENGTH ? value.substring(0, MAX_QUOTED_LENGTH) : value;
        StringBuilder quoted = new StringBuilder(shortened.length() + 24).append('\'');
        shortened.chars().forEach(c -> quoted.append(Character.isISOControl(c) ? '?' : (char) c));
        quoted.append('\'');
        if (shortened.length() < value.length()) {
            quoted.append("... (").append(value.length()).append(" characters)");
        }
        return quoted.toString();
    }
}
