package io.weft.manager.audit;

/** Rejection of a line of an audit export that is not one entry in the export's JSON form. */
public final class InvalidAuditLineException extends IllegalArgumentException {

    private final long lineNumber;

    public InvalidAuditLineException(long lineNumber, String message, Throwable cause) {
        super("Line " + lineNumber + " of the audit export: " + message, cause);
        this.lineNumber = lineNumber;
    }

    /** Returns the number of the rejected line, counting from 1. */
    public long lineNumber() {
        return lineNumber;
    }
}
