package io.weft.app.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** One authorized call of an operation, as the Edge API passes it to the app. */
@ProviderType
public interface OperationRequest {

    /** Returns the app name of the path. */
    String app();

    /** Returns the operation name of the path. */
    String operation();

    /** Returns the authenticated caller. */
    Caller caller();

    /** Returns the time after which the caller gets 504 and the operation's thread is interrupted. */
    Instant deadline();

    /** Returns the request body, empty for a {@code GET} or an empty {@code POST}. */
    byte[] body();

    /**
     * Returns the body parsed as JSON: a {@code Map} with String keys for an object, a
     * {@code List}, a String, a Number ({@code Integer}, {@code Long}, {@code BigInteger} or
     * {@code Double}), a Boolean, or null for an empty body or {@code null}.
     *
     * @throws OperationException with status 400 and code {@code invalid_json} when the body is not JSON
     */
    Object json() throws OperationException;

    /**
     * Returns the body as a JSON object.
     *
     * @throws OperationException with status 400 and code {@code invalid_json} when the body
     *                            is not JSON or not an object
     */
    Map<String, Object> jsonObject() throws OperationException;

    /** Returns the first value of a request header, by case-insensitive name. */
    Optional<String> header(String name);

    /** Returns the first value of a query parameter, the input of a {@code GET}. */
    Optional<String> parameter(String name);

    /** Returns every query parameter with its values in request order. */
    Map<String, List<String>> parameters();
}
