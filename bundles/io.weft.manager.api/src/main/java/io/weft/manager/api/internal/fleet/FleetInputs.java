package io.weft.manager.api.internal.fleet;

import java.util.Optional;
import java.util.function.Function;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.Node;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.NodeQuery;

/**
 * Validates request values through the fleet model and rejects them as
 * {@link InvalidFieldException}, which the API returns as 400 {@code invalid_field} with the
 * field and the fleet model's message, which names the value and the rule.
 */
final class FleetInputs {

    private FleetInputs() {
    }

    /**
     * Parses {@code text} and reports a rejection under {@code field}, the name the client
     * used, rather than the fleet model's field name.
     */
    static <T> T parse(String field, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (InvalidFleetInputException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    static <T> Optional<T> parseOptional(String field, String text, Function<String, T> parser) {
        return text == null ? Optional.empty() : Optional.of(parse(field, text, parser));
    }

    /**
     * Returns the description, or "" for null, if it has no control characters other than tab
     * and line breaks and fits the store's column.
     */
    static String description(String description) {
        if (description == null) {
            return "";
        }
        parse("description", description, Node::requireValidDescription);
        if (description.length() > FleetStore.MAX_DESCRIPTION_LENGTH) {
            throw new InvalidFieldException("description", "Invalid description: it has " + description.length()
                    + " characters, more than the maximum of " + FleetStore.MAX_DESCRIPTION_LENGTH + ". Shorten it.");
        }
        return description;
    }

    /** Returns the page size: {@code defaultLimit} when absent, else a whole number from 1 to 1000. */
    static int limit(String text, int defaultLimit) {
        if (text == null) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalidLimit(text);
        }
        if (limit < 1 || limit > NodeQuery.MAX_LIMIT) {
            throw invalidLimit(text);
        }
        return limit;
    }

    private static InvalidFieldException invalidLimit(String text) {
        return new InvalidFieldException("limit", "Invalid limit '" + abbreviate(text) + "': it must be a whole number"
                + " from 1 to " + NodeQuery.MAX_LIMIT + ".");
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
