package io.weft.pki;

import io.weft.pki.internal.KeyTypes;
import java.security.PublicKey;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Key types that Weft certificates may carry, with the signature algorithm of each. */
public enum KeyType {
    /** ECDSA on NIST P-256 (secp256r1), the key type that nodes generate. */
    EC_P256("EC P-256", "SHA256withECDSA"),
    /** ECDSA on NIST P-384 (secp384r1), the key type of the Weft root and issuing CAs. */
    EC_P384("EC P-384", "SHA384withECDSA"),
    /** EdDSA on Curve25519 (RFC 8032). */
    ED25519("Ed25519", "Ed25519");

    /** Key types accepted in node CSRs: EC P-256, and Ed25519 for nodes that prefer it. */
    public static final Set<KeyType> NODE_KEYS = Collections.unmodifiableSet(EnumSet.of(EC_P256, ED25519));
    /** Key types accepted for an imported issuing CA and for service certificates. */
    public static final Set<KeyType> ALL = Collections.unmodifiableSet(EnumSet.allOf(KeyType.class));

    private final String displayName;
    private final String signatureAlgorithm;

    KeyType(String displayName, String signatureAlgorithm) {
        this.displayName = displayName;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** Returns the JCA name of the signature algorithm that keys of this type sign with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Returns the usual name of the key type, such as {@code EC P-256}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns the type of {@code key} when it is one of {@code accepted}.
     *
     * @throws PkiException naming the key type (for example {@code RSA 2048-bit} or
     *                      {@code EC secp521r1}) and the accepted types
     */
    public static KeyType of(PublicKey key, Set<KeyType> accepted) {
        return KeyTypes.classify(key.getEncoded(), accepted);
    }

    /** Returns the display names of {@code types}, separated by " or ". */
    public static String describe(Set<KeyType> types) {
        StringBuilder text = new StringBuilder();
        for (KeyType type : EnumSet.copyOf(types)) {
            if (text.length() > 0) {
                text.append(" or ");
            }
            text.append(type.displayName);
        }
        return text.toString();
    }
}
