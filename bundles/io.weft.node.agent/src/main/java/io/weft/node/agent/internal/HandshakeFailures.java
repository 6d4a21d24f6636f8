package io.weft.node.agent.internal;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * Turns a failed connection to the manager into the last error that weft:status shows. A
 * manager that rejects the node's certificate in its trust manager, for example because the
 * serial is revoked, sends the TLS alert {@code certificate_unknown}, because OpenJDK's server
 * side ({@code CertificateMessage.checkClientCerts}) maps every {@code CertificateException} of
 * the trust manager to that alert; HandshakeFailuresTest checks this on the JDK that runs it
 * (17.0.15 when written). The client then fails with an {@link SSLException} "Received fatal
 * alert: certificate_unknown", or with Bouncy Castle's JSSE, which runs the control channel, with
 * a {@link TlsFatalAlertReceived} for that alert as the cause. With TLS 1.3 the client
 * may finish its side of the handshake before the alert arrives, so the connection can also
 * just close before the manager accepted the HELLO.
 */
final class HandshakeFailures {

    /** TLS alerts that a server sends when it rejects the client's certificate. */
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("certificate_unknown", "bad_certificate",
            "certificate_revoked", "certificate_expired", "unsupported_certificate", "access_denied");

    /** The fix for a rejected certificate, for both causes, since the node cannot tell revoked from expired. */
    private static final String FIX = "If it expired, enroll this node again with a new token for its record"
            + " (weft:enroll). If the node was revoked, which is final, create a new node record on the manager and"
            + " enroll with a token for that record (weft:enroll --force)";

    /** Message of io.weft.control when a session closes before its TLS handshake completed. */
    private static final String CLOSED_DURING_HANDSHAKE = "closed before its TLS handshake completed";

    private HandshakeFailures() {
    }

    /**
     * Describes why connecting failed: a rejected certificate gets the serial and the fix, other
     * failures the message of the innermost cause.
     */
    static String describe(Throwable failure, BigInteger serial) {
        Optional<String> alert = certificateAlert(failure);
        if (alert.isPresent()) {
            return rejected(serial, "with the TLS alert " + alert.get());
        }
        Throwable root = rootCause(failure);
        String message = root.getMessage();
        if (message != null && message.contains(CLOSED_DURING_HANDSHAKE)) {
            return rejected(serial, "by closing the connection");
        }
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** Describes a session that closed after the TLS handshake but before the manager accepted the HELLO. */
    static String closedBeforeHelloAck(BigInteger serial) {
        return "the manager closed the connection before accepting the HELLO: it may have rejected this node's "
                + "certificate (serial " + hex(serial) + ") after the TLS handshake, because it is revoked or "
                + "expired; check the manager log. " + FIX;
    }

    private static String rejected(BigInteger serial, String how) {
        return "the manager rejected this node's certificate (serial " + hex(serial) + ") during the TLS handshake "
                + how + ": it may be revoked or expired. " + FIX;
    }

    /** Returns the alert name of the first SSLException in the cause chain that reports a certificate alert. */
    private static Optional<String> certificateAlert(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TlsFatalAlertReceived received) {
                String alert = AlertDescription.getName(received.getAlertDescription());
                if (CERTIFICATE_ALERTS.contains(alert)) {
                    return Optional.of(alert);
                }
            }
            if (cause instanceof SSLException && cause.getMessage() != null) {
                String message = cause.getMessage().toLowerCase(Locale.ROOT);
                for (String alert : CERTIFICATE_ALERTS) {
                    if (message.contains("alert: " + alert)) {
                        return Optional.of(alert);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String hex(BigInteger serial) {
        return serial == null ? "unknown" : serial.toString(16);
    }
}
