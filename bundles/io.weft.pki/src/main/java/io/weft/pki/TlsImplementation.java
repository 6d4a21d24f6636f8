package io.weft.pki;

/**
 * The JSSE implementation that runs the TLS protocol of a context built by {@link TlsContexts}.
 * Both enforce the same protocols, cipher suites and trust decisions; they differ in cost.
 */
public enum TlsImplementation {

    /**
     * The JDK's own provider. Its AES-GCM uses the processor's AES and carry-less multiply
     * instructions, so it moves bulk data with the least CPU. Use it for mesh tunnels and HTTPS.
     */
    JDK,

    /**
     * Bouncy Castle's JSSE provider with the Bouncy Castle crypto provider, never registered
     * globally. On Java 17 its mutual-TLS handshake with P-256 keys costs about a third of the
     * JDK's CPU on each side (1.65 against 4.43 ms for the server in a loop here), because the
     * JDK's elliptic curve code is slower. Use it where connections are many and carry little
     * data, such as the control channel, whose handshakes after a manager restart decide how
     * fast a fleet comes back.
     */
    BOUNCY_CASTLE
}
