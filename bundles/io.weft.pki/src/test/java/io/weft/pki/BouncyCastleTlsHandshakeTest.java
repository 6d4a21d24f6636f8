package io.weft.pki;

/** The cases of {@link TlsHandshakeTest} with Bouncy Castle's JSSE on both sides. */
class BouncyCastleTlsHandshakeTest extends TlsHandshakeTest {

    @Override
    TlsImplementation implementation() {
        return TlsImplementation.BOUNCY_CASTLE;
    }

    @Override
    String noClientCertificateMessage() {
        return "certificate_required";
    }

    @Override
    String oldProtocolMessage() {
        return "protocol_version";
    }
}
