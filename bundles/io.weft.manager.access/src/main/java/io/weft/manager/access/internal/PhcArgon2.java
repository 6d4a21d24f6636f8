package io.weft.manager.access.internal;

import io.weft.manager.access.MalformedPasswordHashException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id hash in the PHC string format:
 * {@code $argon2id$v=19$m=<memory KiB>,t=<iterations>,p=<parallelism>$<salt>$<hash>}, where salt
 * and hash are standard Base64 without padding. This is the form that the reference
 * implementation's {@code argon2 -e} prints.
 *
 * <p>The parser accepts exactly that form: the version 19 (0x13), the parameters in that
 * order as decimal numbers without leading zeros, and canonical Base64, so that one hash has
 * one spelling.
 */
public record PhcArgon2(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    public static final String ALGORITHM = "argon2id";
    public static final int VERSION = 0x13;

    /** Minimum salt length in bytes, to which the Argon2 authors allow reducing 16 when space is short. */
    public static final int MIN_SALT_BYTES = 8;
    public static final int MAX_SALT_BYTES = 64;
    /** Minimum hash length in bytes; shorter tags are too easy to collide with. */
    public static final int MIN_HASH_BYTES = 16;
    public static final int MAX_HASH_BYTES = 64;

    private static final Pattern PARAMETERS = Pattern.compile("m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*");

    /** Upper bounds on the parameters of a hash to verify. */
    public record Limits(int maxMemoryKib, int maxIterations, int maxParallelism) {
    }

    /** Formats the hash as a PHC string. */
    public String encode() {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$" + ALGORITHM + "$v=" + VERSION + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /**
     * Parses a PHC string and checks its parameters against the limits.
     *
     * @throws MalformedPasswordHashException when the string breaks the format or a limit
     */
    public static PhcArgon2 parse(String encoded, Limits limits) {
        if (encoded == null) {
            throw malformed("it is null");
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty()) {
            throw malformed("expected 5 fields, each after a '$', but found " + (parts.length - 1));
        }
        if (!ALGORITHM.equals(parts[1])) {
            throw malformed("the algorithm is " + Texts.quote(parts[1]) + " instead of '" + ALGORITHM + "'");
        }
        if (!("v=" + VERSION).equals(parts[2])) {
            throw malformed("the version field is " + Texts.quote(parts[2]) + " instead of 'v=" + VERSION + "'");
        }

        Matcher parameters = PARAMETERS.matcher(parts[3]);
        if (!parameters.matches()) {
            throw malformed("the parameters " + Texts.quote(parts[3]) + " are not of the form 'm=<KiB>,t=<iterations>,p=<lanes>'");
        }
        int parallelism = parameter(parameters.group(3), "p", 1, limits.maxParallelism());
        int iterations = parameter(parameters.group(2), "t", 1, limits.maxIterations());
        int memoryKib = parameter(parameters.group(1), "m", 8 * parallelism, limits.maxMemoryKib());

        byte[] salt = decode(parts[4], "salt", MIN_SALT_BYTES, MAX_SALT_BYTES);
        byte[] hash = decode(parts[5], "hash", MIN_HASH_BYTES, MAX_HASH_BYTES);
        return new PhcArgon2(memoryKib, iterations, parallelism, salt, hash);
    }

    private static int parameter(String digits, String name, long min, long max) {
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw malformed("the parameter " + name + "=" + digits + " has a leading zero");
        }
        long value = Long.parseLong(digits);
        if (value < min || value > max) {
            throw malformed("the parameter " + name + "=" + value + " is outside the accepted range " + min + " to " + max);
        }
        return (int) value;
    }

    private static byte[] decode(String text, String name, int minBytes, int maxBytes) {
        if (!BASE64.matcher(text).matches() || text.length() % 4 == 1) {
            throw malformed("the " + name + " is not Base64 without padding");
        }
        byte[] bytes = Base64.getDecoder().decode(text);
        if (!Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
            throw malformed("the " + name + " is not in canonical Base64: its last character has bits set that encode nothing");
        }
        if (bytes.length < minBytes || bytes.length > maxBytes) {
            throw malformed("the " + name + " has " + bytes.length + " bytes, outside the accepted range "
                    + minBytes + " to " + maxBytes);
        }
        return bytes;
    }

    private static MalformedPasswordHashException malformed(String reason) {
        return new MalformedPasswordHashException("Invalid Argon2id password hash: " + reason + ".");
    }
}
