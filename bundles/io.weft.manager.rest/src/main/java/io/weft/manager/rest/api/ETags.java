package io.weft.manager.rest.api;

import javax.ws.rs.core.EntityTag;

/**
 * The API's entity tags: a resource's version number as a strong ETag, such as {@code "3"}.
 * A resource returns {@link #of(long)} as {@code ETag} and reads the version that an update
 * expects with {@link #requiredVersion(String, long)}. {@code If-Match: *} matches any stored
 * version, as in RFC 9110.
 */
public final class ETags {

    public static final String IF_MATCH = "If-Match";

    /** The {@code If-Match} value that matches whatever version is stored. */
    public static final String ANY = "*";

    private static final String INVALID = "must be one ETag of this API, a version number in double quotes such as \"3\"";

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Returns the version that an {@code If-Match} header value names, or
     * {@code currentVersion} for {@value #ANY}.
     *
     * @param currentVersion the version stored now, read in the transaction of the change
     * @throws PreconditionRequiredException when the header is missing or blank
     * @throws InvalidFieldException when the value is neither {@value #ANY} nor one strong ETag of a
     *         version number
     */
    public static long requiredVersion(String ifMatch, long currentVersion) {
        if (isAny(ifMatch)) {
            return currentVersion;
        }
        try {
            return requiredVersion(ifMatch);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(IF_MATCH, INVALID + ", or * for any version");
        }
    }

    /**
     * Checks an {@code If-Match} header value before a change reads the stored version: it
     * must be {@value #ANY} or one strong ETag of a version number.
     *
     * @throws PreconditionRequiredException when the header is missing or blank
     * @throws InvalidFieldException when the value is malformed
     */
    public static void check(String ifMatch) {
        requiredVersion(ifMatch, 0);
    }

    private static boolean isAny(String ifMatch) {
        return ifMatch != null && ifMatch.strip().equals(ANY);
    }

    /**
     * Returns the version that an {@code If-Match} header value names; {@value #ANY} is
     * malformed here, because no stored version is at hand.
     *
     * @throws PreconditionRequiredException when the header is missing or blank
     * @throws InvalidFieldException when the value is not one strong ETag of a version number
     */
    public static long requiredVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionRequiredException();
        }

        String value = ifMatch.strip();
        boolean quoted = value.length() >= 3 && value.startsWith("\"") && value.endsWith("\"");
        String digits = quoted ? value.substring(1, value.length() - 1) : "";
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalidIfMatch();
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalidIfMatch();
        }
    }

    private static InvalidFieldException invalidIfMatch() {
        return new InvalidFieldException(IF_MATCH, INVALID);
    }
}
