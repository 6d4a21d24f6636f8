package io.weft.manager.api.internal.audit;

import io.weft.manager.audit.AuditEvent;

/**
 * Failure to append the audit entry of a change that is already committed. The message
 * contains the whole event for the log; the API's error mapper shows the client only an
 * error id.
 */
public final class AuditAppendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AuditAppendException(AuditEvent event, Throwable cause) {
        super("The change was committed, but its audit entry was not appended: " + event, cause);
    }
}
