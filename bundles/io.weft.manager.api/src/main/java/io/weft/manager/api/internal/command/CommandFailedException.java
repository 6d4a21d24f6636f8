package io.weft.manager.api.internal.command;

/**
 * Failure of a manager shell command that Karaf prints as "Error executing command:" with this
 * message, which states what failed and what to type instead.
 */
public class CommandFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
