package io.weft.manager.api.internal.command;

import java.util.function.Supplier;
import javax.ws.rs.WebApplicationException;

/**
 * Runs a service call for a shell command and turns the service's rejections, which carry the
 * REST API's messages, into one {@link CommandFailedException} with a hint for the shell.
 */
final class ShellErrors {

    private ShellErrors() {
    }

    /**
     * Returns the call's result.
     *
     * @param hint what the user can type instead, appended to the service's message
     */
    static <T> T call(Supplier<T> work, String hint) throws CommandFailedException {
        try {
            return work.get();
        } catch (WebApplicationException | IllegalArgumentException e) {
            throw new CommandFailedException(sentence(e.getMessage()) + " " + hint, e);
        }
    }

    static void run(Runnable work, String hint) throws CommandFailedException {
        call(() -> {
            work.run();
            return null;
        }, hint);
    }

    private static String sentence(String message) {
        String text = message == null || message.isBlank() ? "The request was rejected" : message.strip();
        return text.endsWith(".") ? text : text + ".";
    }
}
