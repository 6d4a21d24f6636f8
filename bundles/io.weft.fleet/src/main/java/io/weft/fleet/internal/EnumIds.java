package io.weft.fleet.internal;

import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.InvalidFleetInputException.Rule;
import java.util.Locale;
import java.util.function.Function;

/** Lookup of enum constants by their lower-case id, as sent by API clients. */
public final class EnumIds {

    private EnumIds() {
    }

    /**
     * Returns the constant whose id equals {@code text} ignoring case.
     *
     * @throws InvalidFleetInputException with rule {@link Rule#MISSING} or
     *                                    {@link Rule#UNKNOWN_VALUE}, listing the valid ids
     */
    public static <E extends Enum<E>> E parse(
            String text, Class<E> type, Function<E, String> id, String field, String subject) {
        Inputs.requirePresent(text, field, subject);

        String folded = text.toLowerCase(Locale.ROOT);
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (id.apply(constant).equals(folded)) {
                return constant;
            }
        }

        throw new InvalidFleetInputException(field, Rule.UNKNOWN_VALUE, "Unknown " + subject + " "
                + quote(text) + ". Use one of: " + listIds(constants, id) + ".");
    }

    private static <E> String listIds(E[] constants, Function<E, String> id) {
        StringBuilder ids = new StringBuilder();
        for (E constant : constants) {
            if (ids.length() > 0) {
                ids.append(", ");
            }
            ids.append(id.apply(constant));
        }
        return ids.toString();
    }
}
