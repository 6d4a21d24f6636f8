package io.weft.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class ControlHandlerTest {

    @Test
    void describeAddsTheReasonBehindAnAlert() {
        CertificateException reason = new CertificateException("Certificate serial 0x1f3a is revoked.");
        SSLException alert = new SSLException("certificate_unknown(46)", reason);

        assertThat(ControlHandler.describe(alert))
                .isEqualTo("javax.net.ssl.SSLException: certificate_unknown(46): Certificate serial 0x1f3a is revoked.");
    }

    @Test
    void describeSkipsCauseMessagesAlreadyShown() {
        CertificateException reason = new CertificateException("no client certificate");
        SSLException wrapper = new SSLException("Handshake failed: no client certificate", reason);

        assertThat(ControlHandler.describe(wrapper))
                .isEqualTo("javax.net.ssl.SSLException: Handshake failed: no client certificate");
    }

    @Test
    void describeEndsOnACyclicChain() {
        SSLException first = new SSLException("first");
        SSLException second = new SSLException("second", first);
        first.initCause(second);

        assertThat(ControlHandler.describe(first)).startsWith("javax.net.ssl.SSLException: first: second");
    }
}
