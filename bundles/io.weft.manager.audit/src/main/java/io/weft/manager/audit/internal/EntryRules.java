package io.weft.manager.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Rules for the fields of an audit entry. Each check returns null when the value is valid and
 * otherwise the reason, so that the same rules serve to reject an event and to report a stored
 * entry.
 */
public final class EntryRules {

    public static final int MAX_ACTOR_LENGTH = 256;
    public static final int MAX_ADDRESS_LENGTH = 64;
    public static final int MAX_ACTION_LENGTH = 64;
    public static final int MAX_TARGET_LENGTH = 512;
    public static final int MAX_STATE_LENGTH = 1_048_576;

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private EntryRules() {
    }

    /** Checks a required single-line name such as the actor or target. */
    public static String checkName(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "the " + field + " is missing";
        }
        return checkLine(field, value, maxLength);
    }

    /** Checks a single-line value that may be null, such as the remote address. */
    public static String checkOptionalName(String field, String value, int maxLength) {
        return value == null ? null : checkName(field, value, maxLength);
    }

    public static String checkAction(String value) {
        String problem = checkName("action", value, MAX_ACTION_LENGTH);
        if (problem == null && !ACTION.matcher(value).matches()) {
            return "the action '" + value + "' is not made of lower-case words joined by dots, such as 'node.update'";
        }
        return problem;
    }

    /** Checks JSON text that may be null: well-formed, one value, within the maximum length. */
    public static String checkJson(String field, String value) {
        if (value == null) {
            return null;
        }
        String label = "the " + field + " state";
        if (value.length() > MAX_STATE_LENGTH) {
            return label + " has " + value.length() + " characters, more than the maximum of " + MAX_STATE_LENGTH;
        }
        String problem = checkUnicode(label, value);
        if (problem != null) {
            return problem;
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() == null) {
                return label + " is empty; use null for no state";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return label + " has content after its JSON value";
            }
            return null;
        } catch (JsonProcessingException e) {
            return label + " is not valid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            throw new IllegalStateException("Reading a string cannot fail with an I/O error", e);
        }
    }

    private static String checkLine(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            return "the " + field + " has " + value.length() + " characters, more than the maximum of " + maxLength;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "the " + field + " contains a control character at position " + (i + 1);
            }
        }
        return checkUnicode("the " + field, value);
    }

    /**
     * Rejects unpaired surrogates, which have no UTF-8 encoding, and U+0000, which PostgreSQL
     * cannot store in a text column.
     */
    private static String checkUnicode(String label, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return label + " contains the character U+0000 at position " + (i + 1);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return label + " contains an unpaired UTF-16 surrogate at position " + (i + 1);
            }
        }
        return null;
    }
}
