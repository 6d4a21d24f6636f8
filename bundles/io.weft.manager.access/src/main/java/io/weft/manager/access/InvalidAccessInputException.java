package io.weft.manager.access;

import java.util.Objects;

/**
 * Rejection of a user name, password, role or token expiry that breaks a rule of this
 * package. The message states the rule and never contains a password.
 *
 * <p>{@link #field()} names the input, such as {@code password} or {@code expiresAt}, so a REST
 * layer can return it as the field of a 400 response.
 */
public final class InvalidAccessInputException extends IllegalArgumentException {

    private final String field;

    public InvalidAccessInputException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public String field() {
        return field;
    }
}
