package io.weft.manager.rest.internal.errors;

/**
 * The body of every error response of the API.
 *
 * @param error   the error code, such as {@code unknown_field}
 * @param message what is wrong and what the client can do, in one or two sentences
 * @param field   the field, query parameter or header concerned, or null
 */
public record ErrorDto(String error, String message, String field) {
}
