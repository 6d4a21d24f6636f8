package io.weft.manager.access;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Rules for passwords that operators choose. Generated passwords, such as the first admin's,
 * are long random strings and need no check.
 *
 * <p>NIST SP 800-63B (section 5.1.1.2) sets a minimum length and no composition rules, counts
 * each Unicode code point as one character, and normalizes with NFKC or NFKD before hashing.
 * This class counts code points after NFKC normalization, the form that
 * {@link PasswordHasher} hashes. The minimum of 12 is Weft's choice, above NIST's 8.
 *
 * <p>NOTE: passwords are not yet compared with a list of common or breached passwords, which
 * NIST SP 800-63B also recommends, so {@code Password1234} passes.
 */
public final class PasswordPolicy {

    /** Minimum length of a chosen password, in code points. */
    public static final int MIN_LENGTH = 12;
    /**
     * Maximum length in code points. Argon2 reads the password only once, so the limit only
     * bounds the size of a request, and passphrases fit well within it.
     */
    public static final int MAX_LENGTH = 1024;

    private static final String FIELD = "password";

    private PasswordPolicy() {
    }

    /**
     * Checks a password that an operator chose for the account {@code userName}. The message
     * of a rejection states the rule and never contains the password.
     *
     * @throws InvalidAccessInputException with field {@code password} when the password is
     *                                     shorter than {@value #MIN_LENGTH} or longer than
     *                                     {@value #MAX_LENGTH} code points, contains an unpaired
     *                                     surrogate or a control character, or equals the user name
     */
    public static void check(String userName, char[] password) {
        if (password == null || password.length == 0) {
            throw new InvalidAccessInputException(FIELD, "Missing password. Choose one of at least " + MIN_LENGTH
                    + " characters.");
        }
        String normalized = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFKC);
        checkCharacters(normalized);

        int length = normalized.codePointCount(0, normalized.length());
        if (length < MIN_LENGTH) {
            throw new InvalidAccessInputException(FIELD, "The password has " + length + " characters, fewer than the"
                    + " minimum of " + MIN_LENGTH + ". Choose a longer one; a phrase of several words is easy"
                    + " to remember.");
        }
        if (length > MAX_LENGTH) {
            throw new InvalidAccessInputException(FIELD, "The password has " + length + " characters, more than the"
                    + " maximum of " + MAX_LENGTH + ".");
        }
        if (userName != null && normalized.toLowerCase(Locale.ROOT).equals(userName.toLowerCase(Locale.ROOT))) {
            throw new InvalidAccessInputException(FIELD, "The password equals the user name. Choose another one.");
        }
    }

    private static void checkCharacters(String password) {
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < password.length() && Character.isLowSurrogate(password.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidAccessInputException(FIELD, "The password is not valid Unicode: it contains an"
                        + " unpaired UTF-16 surrogate.");
            } else if (Character.isISOControl(c)) {
                throw new InvalidAccessInputException(FIELD, "The password contains a control character, such as a"
                        + " line break or tab, at position " + (i + 1) + ". Use printable characters and spaces.");
            }
        }
    }
}
