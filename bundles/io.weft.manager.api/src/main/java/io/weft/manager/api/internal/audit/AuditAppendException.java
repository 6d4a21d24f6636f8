package io.weft.manager.api.internal.audit;

import io.weft.manager.audit.AuditEvent;

/**
 * Failure to append the audit entry of a change, which rolls the change back. The message
 * contains the whole event for the log; the API's error mapper shows the client only an
 * error id.
 */
public final class AuditAppendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AuditAppendException(AuditEvent event, Throwable cause) {
        super("The audit entry of a change was not appended, so the change was rolled back: " + event, cause);
    }
}
