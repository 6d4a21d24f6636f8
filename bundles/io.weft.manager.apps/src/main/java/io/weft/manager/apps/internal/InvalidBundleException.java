package io.weft.manager.apps.internal;

import io.weft.manager.rest.api.InvalidFieldException;

/**
 * Rejects an uploaded file that is not an acceptable OSGi bundle, which the API returns as
 * status 400 for the field {@code body}. The message names the value and the fix.
 */
public class InvalidBundleException extends InvalidFieldException {

    private static final long serialVersionUID = 1L;

    static final String FIELD = "body";

    public InvalidBundleException(String message) {
        super(FIELD, message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(FIELD, message);
        initCause(cause);
    }
}
