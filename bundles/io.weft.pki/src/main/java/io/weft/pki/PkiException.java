package io.weft.pki;

/**
 * Rejection of a key, certificate, request, CRL, token or signed document, or a failed
 * verification. The message names the rejected value and the reason, and never contains a
 * private key or a secret.
 */
public class PkiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
