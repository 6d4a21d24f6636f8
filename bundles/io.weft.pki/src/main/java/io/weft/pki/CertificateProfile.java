package io.weft.pki;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Kind of end-entity certificate that the Weft issuing CA signs. Every profile has the key
 * usage digitalSignature only, basic constraints cA=false, and the extended key usages below.
 */
public enum CertificateProfile {
    /** A node: TLS client and server on control and mesh connections. */
    NODE(Duration.ofDays(30), KeyPurpose.TLS_CLIENT, KeyPurpose.TLS_SERVER),
    /** The manager's TLS server for enrollment and control connections. */
    SERVER(Duration.ofDays(90), KeyPurpose.TLS_SERVER),
    /** The manager's key that signs the desired state sent to nodes. */
    STATE_SIGNING(Duration.ofDays(365), KeyPurpose.STATE_SIGNING),
    /** A repository's key that signs artifacts. */
    CODE_SIGNING(Duration.ofDays(365), KeyPurpose.CODE_SIGNING),
    /** The manager repository's key that signs edge app bundles. */
    APP_SIGNING(Duration.ofDays(365), KeyPurpose.APP_SIGNING);

    private final Duration defaultLifetime;
    private final Set<KeyPurpose> purposes;

    CertificateProfile(Duration defaultLifetime, KeyPurpose first, KeyPurpose... rest) {
        this.defaultLifetime = defaultLifetime;
        this.purposes = Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    /** Returns the lifetime of a certificate when the request sets none. */
    public Duration defaultLifetime() {
        return defaultLifetime;
    }

    /** Returns the extended key usages of certificates with this profile. */
    public Set<KeyPurpose> purposes() {
        return purposes;
    }
}
