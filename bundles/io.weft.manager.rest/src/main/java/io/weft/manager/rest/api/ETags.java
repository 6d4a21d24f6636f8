package io.weft.manager.rest.api;

import javax.ws.rs.core.EntityTag;

/**
 * The API's entity tags: a resource's version number as a strong ETag, such as {@code "3"}.
 * A resource returns {@link #of(long)} as {@code ETag} and reads the version that an update
 * expects with {@link #requiredVersion(String)}.
 */
public final class ETags {

    public static final String IF_MATCH = "If-Match";

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Returns the version that an {@code If-Match} header value names.
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
        return new InvalidFieldException(IF_MATCH,
                "must be one ETag of this API, a version number in double quotes such as \"3\"");
    }
}
