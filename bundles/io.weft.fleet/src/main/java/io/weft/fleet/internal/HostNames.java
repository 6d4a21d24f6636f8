package io.weft.fleet.internal;

import static io.weft.fleet.internal.Inputs.describe;
import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.InvalidFleetInputException.Rule;

/**
 * Host name rules of RFC 1123, section 2.1. A name has labels of 1 to 63 letters, digits and
 * hyphens that neither start nor end with a hyphen, and at most 253 characters in all. Its
 * top-level label is not all digits, so that no name reads as an IPv4 address.
 *
 * <p>Upper-case ASCII letters are accepted here and folded by the caller. A trailing dot, the
 * absolute form of a DNS name, is rejected so that every name has exactly one spelling.
 */
public final class HostNames {

    public static final int MAX_LENGTH = 253;
    public static final int MAX_LABEL_LENGTH = 63;

    private HostNames() {
    }

    /**
     * Checks a dotted host name and returns its number of labels.
     *
     * @param subject the field in words, used in messages, such as {@code domain}
     * @throws InvalidFleetInputException naming {@code field} when a rule is broken
     */
    public static int checkName(String text, String field, String subject) {
        Inputs.requirePresent(text, field, subject);
        Inputs.requireMaxLength(text, MAX_LENGTH, field, subject);

        int labels = 0;
        int start = 0;
        for (int end = 0; end <= text.length(); end++) {
            if (end == text.length() || text.charAt(end) == '.') {
                checkLabel(text, start, end, field, subject);
                labels++;
                start = end + 1;
            }
        }

        checkTopLabel(text, field, subject);
        return labels;
    }

    /**
     * Checks a name that must be one label, such as a node name.
     *
     * @throws InvalidFleetInputException naming {@code field} when a rule is broken
     */
    public static void checkSingleLabel(String text, String field, String subject) {
        Inputs.requirePresent(text, field, subject);

        int dot = text.indexOf('.');
        if (dot >= 0) {
            throw new InvalidFleetInputException(field, Rule.INVALID_FORMAT,
                    "Invalid " + subject + " " + quote(text) + ": a " + subject
                            + " is a single label and cannot contain '.'. Remove the dots.");
        }

        checkLabel(text, 0, text.length(), field, subject);
    }

    private static void checkLabel(String text, int start, int end, String field, String subject) {
        if (start == end) {
            throw emptyLabel(text, start, field, subject);
        }

        String label = text.substring(start, end);
        if (label.length() > MAX_LABEL_LENGTH) {
            throw invalid(text, field, subject, Rule.TOO_LONG, "the label " + quote(label) + " has "
                    + label.length() + " characters, more than the maximum of " + MAX_LABEL_LENGTH
                    + ". Shorten the label.");
        }

        checkLabelCharacters(text, label, field, subject);
    }

    private static void checkLabelCharacters(String text, String label, String field, String subject) {
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!isLetterOrDigit(c) && c != '-') {
                throw invalid(text, field, subject, Rule.INVALID_FORMAT, "the label " + quote(label)
                        + " contains " + describe(c) + ". A label may contain only letters a-z, digits"
                        + " 0-9 and '-'. Write internationalized names in their ASCII form (xn--...).");
            }
        }

        if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            throw invalid(text, field, subject, Rule.INVALID_FORMAT, "the label " + quote(label)
                    + " starts or ends with '-'. Start and end each label with a letter or digit.");
        }
    }

    private static void checkTopLabel(String text, String field, String subject) {
        String top = text.substring(text.lastIndexOf('.') + 1);
        if (top.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, field, subject, Rule.INVALID_FORMAT, "the last label " + quote(top)
                    + " is all digits, so the name could be read as an IPv4 address."
                    + " End the name with a label that contains a letter.");
        }
    }

    private static InvalidFleetInputException emptyLabel(String text, int start, String field, String subject) {
        if (start == text.length()) {
            return invalid(text, field, subject, Rule.INVALID_FORMAT,
                    "it ends with '.'. Write the name without the trailing dot.");
        }
        if (start == 0) {
            return invalid(text, field, subject, Rule.INVALID_FORMAT,
                    "it starts with '.'. Remove the leading dot.");
        }
        return invalid(text, field, subject, Rule.INVALID_FORMAT,
                "it contains an empty label between two dots. Remove the extra dot.");
    }

    private static InvalidFleetInputException invalid(
            String text, String field, String subject, Rule rule, String problem) {
        return new InvalidFleetInputException(field, rule, "Invalid " + subject + " " + quote(text) + ": " + problem);
    }

    static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
