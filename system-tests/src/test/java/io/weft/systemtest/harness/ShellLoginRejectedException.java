package io.weft.systemtest.harness;

/**
 * The SSH server rejected the credentials: it offered no further authentication method.
 * A connection failure or a rejected host key raises other exceptions, so a test that
 * expects this one fails when the server is merely unreachable.
 */
public final class ShellLoginRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ShellLoginRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
