package io.weft.manager.api.internal.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import io.weft.fleet.DomainName;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.Page;

/**
 * The {@code cursor} of the list endpoints: the name of the last item of the previous page,
 * wrapped in an opaque token, so that a client cannot mistake it for a filter and a mistyped
 * cursor gets 400 instead of some other page.
 */
final class Cursors {

    /** Version prefix, so that a later form can be distinguished. */
    private static final String PREFIX = "c1.";

    /** A full name of at most 63 + 1 + 253 characters, as base64 with the prefix. */
    private static final int MAX_LENGTH = 432;

    private Cursors() {
    }

    /** Returns the page with its next cursor in the API's form. */
    static <T> Page<T> encode(Page<T> page) {
        return new Page<>(page.items(), page.nextCursor().map(Cursors::encode));
    }

    static String encode(String key) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the name that a cursor carries, or empty when there is none.
     *
     * @throws InvalidFieldException with field {@code cursor} when it is not a cursor of this API
     */
    static Optional<String> decode(String cursor) {
        if (cursor == null) {
            return Optional.empty();
        }
        if (!cursor.startsWith(PREFIX) || cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        try {
            // DomainName.of raises InvalidFleetInputException, an IllegalArgumentException, like the decoder.
            byte[] bytes = Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length()));
            return Optional.of(DomainName.of(new String(bytes, StandardCharsets.UTF_8)).toString());
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static InvalidFieldException invalid() {
        return new InvalidFieldException("cursor", "Invalid cursor: pass the nextCursor of the previous page"
                + " unchanged, or leave the cursor out for the first page.");
    }
}
