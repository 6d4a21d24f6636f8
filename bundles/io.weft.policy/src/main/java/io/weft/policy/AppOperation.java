package io.weft.policy;

import io.weft.policy.internal.Texts;
import java.util.Objects;

/**
 * Operation that an edge app publishes through the Edge API, written {@code app/operation},
 * such as {@code io.acme.camera/snapshot}. Both names are case-sensitive.
 *
 * @param app       the app's name: 1 to {@value #MAX_APP_LENGTH} letters, digits, '.', '-' and
 *                  '_', starting and ending with a letter or digit, like a bundle symbolic name
 * @param operation the operation's name: 1 to {@value #MAX_OPERATION_LENGTH} letters, digits,
 *                  '-' and '_', starting and ending with a letter or digit
 */
public record AppOperation(String app, String operation) implements Endpoint, Target {

    public static final int MAX_APP_LENGTH = 128;

    public static final int MAX_OPERATION_LENGTH = 64;

    private static final String FIELD = "operation";

    public AppOperation {
        Texts.checkName(app, MAX_APP_LENGTH, ".-_", FIELD, "app name");
        Texts.checkName(operation, MAX_OPERATION_LENGTH, "-_", FIELD, "operation name");
    }

    /**
     * Parses {@code app/operation}.
     *
     * @throws InvalidPolicyException with field {@code operation} when the text has no single
     *                                '/' or a name breaks a rule
     */
    public static AppOperation parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new InvalidPolicyException(FIELD, "Invalid app operation " + Texts.quote(text)
                    + ": write it as 'app/operation', such as 'io.acme.camera/snapshot', with one '/'.");
        }
        return new AppOperation(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public Endpoint endpoint() {
        return this;
    }

    /** Returns {@code app/operation}. */
    @Override
    public String toString() {
        return app + "/" + operation;
    }
}
