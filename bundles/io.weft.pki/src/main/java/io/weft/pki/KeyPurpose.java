package io.weft.pki;

/**
 * Extended key usages (RFC 5280, section 4.2.1.12) that Weft certificates carry, and that
 * {@link TrustVerifier} requires of an end-entity certificate for each use.
 */
public enum KeyPurpose {
    /** id-kp-serverAuth: the TLS server side of a control or mesh connection. */
    TLS_SERVER("1.3.6.1.5.5.7.3.1", "TLS server authentication"),
    /** id-kp-clientAuth: the TLS client side of a control or mesh connection. */
    TLS_CLIENT("1.3.6.1.5.5.7.3.2", "TLS client authentication"),
    /** Signing the desired state that the manager sends to nodes, with an OID under {@link #WEFT_OID_ARC}. */
    STATE_SIGNING(KeyPurpose.WEFT_OID_ARC + ".1", "Weft state signing"),
    /** id-kp-codeSigning: signing artifacts of a Weft repository. */
    CODE_SIGNING("1.3.6.1.5.5.7.3.3", "code signing"),
    /**
     * Signing edge app bundles in the manager's repository, with an OID under {@link #WEFT_OID_ARC}.
     * Only certificates of {@link CertificateProfile#APP_SIGNING} carry it, so a node or TLS key cannot sign apps.
     */
    APP_SIGNING(KeyPurpose.WEFT_OID_ARC + ".2", "Weft app signing");

    /**
     * Object identifier arc for Weft's own OIDs. It is a UUID-based OID under {@code 2.25}
     * (ITU-T X.667), which needs no registration: the decimal form of the random UUID
     * a9c1fd0c-2eeb-4e4a-aefc-fc2e1f658baa.
     */
    public static final String WEFT_OID_ARC = "2.25.225646776996236456038484355392005835690";

    private final String oid;
    private final String displayName;

    KeyPurpose(String oid, String displayName) {
        this.oid = oid;
        this.displayName = displayName;
    }

    /** Returns the dotted OID of the extended key usage. */
    public String oid() {
        return oid;
    }

    /** Returns the name of the usage for messages, such as {@code TLS client authentication}. */
    public String displayName() {
        return displayName;
    }
}
