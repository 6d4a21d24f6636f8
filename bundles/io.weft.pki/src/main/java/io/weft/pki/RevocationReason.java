package io.weft.pki;

/** CRL entry reason codes (RFC 5280, section 5.3.1) that Weft uses. */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    PRIVILEGE_WITHDRAWN(9);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** Returns the CRLReason code. */
    public int code() {
        return code;
    }

    /**
     * Returns the reason with the given CRLReason code.
     *
     * @throws PkiException for a code that Weft does not use, such as certificateHold (6)
     */
    public static RevocationReason ofCode(int code) {
        for (RevocationReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new PkiException("The CRL reason code " + code + " is not supported.");
    }
}
