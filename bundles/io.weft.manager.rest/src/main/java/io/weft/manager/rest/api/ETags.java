package io.weft.manager.rest.api;

import java.util.ArrayList;
import java.util.List;

import javax.ws.rs.core.EntityTag;

/**
 * The API's entity tags: a resource's version number as a strong ETag, such as {@code "3"}.
 * A resource returns {@link #of(long)} as {@code ETag} and reads the version that an update
 * expects with {@link #requiredVersion(String, long)}. As in RFC 9110, {@code If-Match: *}
 * matches any stored version, a list of ETags matches when one of them is the stored version,
 * and a weak ETag never matches.
 */
public final class ETags {

    public static final String IF_MATCH = "If-Match";

    /** The {@code If-Match} value that matches whatever version is stored. */
    public static final String ANY = "*";

    private static final String INVALID = "must be one ETag of this API, a version number in double quotes such as \"3\"";
    private static final String INVALID_LIST = "must be * or a comma-separated list of ETags of this API, each a"
            + " version number in double quotes such as \"3\"";
    private static final String WEAK_PREFIX = "W/";

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Returns the version that an update expects: {@code currentVersion} for {@value #ANY} or for
     * a list of ETags that contains it, else the first listed version, which the store then
     * rejects as stale.
     *
     * @param currentVersion the version stored now, read in the transaction of the change
     * @throws PreconditionRequiredException when the header is missing or blank
     * @throws InvalidFieldException when the value is neither {@value #ANY} nor a list of ETags of
     *         version numbers
     * @throws PreconditionFailedException when the list contains only weak ETags
     */
    public static long requiredVersion(String ifMatch, long currentVersion) {
        if (isAny(ifMatch)) {
            return currentVersion;
        }
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionRequiredException();
        }

        List<Long> listed = new ArrayList<>();
        boolean weak = false;
        for (String tag : ifMatch.split(",", -1)) {
            String value = tag.strip();
            if (value.startsWith(WEAK_PREFIX)) {
                versionOrInvalid(value.substring(WEAK_PREFIX.length()));
                weak = true;
            } else {
                listed.add(versionOrInvalid(value));
            }
        }
        if (listed.contains(currentVersion)) {
            return currentVersion;
        }
        if (listed.isEmpty() && weak) {
            throw new PreconditionFailedException("If-Match lists only weak ETags, which never match an update:"
                    + " send the strong ETag of the version you read, such as \"3\"");
        }
        return listed.get(0);
    }

    /** Returns the version of one strong ETag, or raises the error of an invalid If-Match. */
    private static long versionOrInvalid(String tag) {
        if (tag.isEmpty()) {
            throw new InvalidFieldException(IF_MATCH, INVALID_LIST);
        }
        try {
            return requiredVersion(tag);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(IF_MATCH, INVALID_LIST);
        }
    }

    /**
     * Checks an {@code If-Match} header value before a change reads the stored version: it
     * must be {@value #ANY} or a list of ETags of version numbers.
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
