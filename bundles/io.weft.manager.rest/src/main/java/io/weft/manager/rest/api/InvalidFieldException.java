package io.weft.manager.rest.api;

import java.util.Objects;

/**
 * Rejects one field of a request. The API responds with 400, error code {@code invalid_field},
 * this field and this message. The message therefore states the rule that the value breaks,
 * such as "must be a DNS name of at most 253 characters".
 */
public class InvalidFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the field's path in the request body, such as {@code spec.ports[0]}, or
     *                the name of a query parameter or header
     * @param message what the value must be
     */
    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public String field() {
        return field;
    }
}
