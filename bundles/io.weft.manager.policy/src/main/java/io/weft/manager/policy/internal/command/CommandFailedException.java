package io.weft.manager.policy.internal.command;

import javax.ws.rs.WebApplicationException;

/**
 * Failure of a policy shell command that Karaf prints as "Error executing command:" with this
 * message, which states what failed and what to type instead.
 */
public class CommandFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps a rejection of the policy service, whose message is the REST API's, and appends the hint. */
    static CommandFailedException of(RuntimeException rejection, String hint) {
        String message = rejection.getMessage() == null ? "The request was rejected" : rejection.getMessage().strip();
        return new CommandFailedException((message.endsWith(".") ? message : message + ".") + " " + hint, rejection);
    }

    static boolean isRejection(RuntimeException e) {
        return e instanceof WebApplicationException || e instanceof IllegalArgumentException;
    }
}
