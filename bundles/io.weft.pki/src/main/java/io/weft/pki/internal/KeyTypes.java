package io.weft.pki.internal;

import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Classifies public keys from their SubjectPublicKeyInfo and converts them to JCA keys. */
public final class KeyTypes {

    private KeyTypes() {
    }

    /** Classifies a DER SubjectPublicKeyInfo and rejects a type outside {@code accepted}. */
    public static KeyType classify(byte[] subjectPublicKeyInfo, Set<KeyType> accepted) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfo);
        } catch (IllegalArgumentException e) {
            throw new PkiException("The public key is not a valid SubjectPublicKeyInfo structure.", e);
        }
        return classify(info, accepted);
    }

    public static KeyType classify(SubjectPublicKeyInfo info, Set<KeyType> accepted) {
        KeyType type = typeOf(info);
        if (type == null || !accepted.contains(type)) {
            String found = type == null ? describeUnsupported(info) : type.displayName();
            throw new PkiException("The public key is " + found + ", but only " + KeyType.describe(accepted)
                    + " keys are accepted.");
        }
        return type;
    }

    /** Converts a SubjectPublicKeyInfo to a Bouncy Castle JCA key, which checks EC points lie on the curve. */
    public static PublicKey toPublicKey(SubjectPublicKeyInfo info) {
        try {
            return new JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPublicKey(info);
        } catch (IOException | RuntimeException e) {
            throw new PkiException("The public key is invalid: " + e.getMessage(), e);
        }
    }

    private static KeyType typeOf(SubjectPublicKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            return KeyType.ED25519;
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return null;
        }
        ASN1Primitive parameters = parameters(info);
        if (SECObjectIdentifiers.secp256r1.equals(parameters)) {
            return KeyType.EC_P256;
        }
        if (SECObjectIdentifiers.secp384r1.equals(parameters)) {
            return KeyType.EC_P384;
        }
        return null;
    }

    private static String describeUnsupported(SubjectPublicKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return "RSA " + rsaBits(info) + "-bit";
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            ASN1Primitive parameters = parameters(info);
            if (parameters instanceof ASN1ObjectIdentifier) {
                String name = ECNamedCurveTable.getName((ASN1ObjectIdentifier) parameters);
                return "EC " + (name == null ? parameters.toString() : name);
            }
            return "EC with explicit curve parameters";
        }
        if (X9ObjectIdentifiers.id_dsa.equals(algorithm)) {
            return "DSA";
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
            return "Ed448";
        }
        return "of algorithm OID " + algorithm.getId();
    }

    private static ASN1Primitive parameters(SubjectPublicKeyInfo info) {
        return info.getAlgorithm().getParameters() == null ? null
                : info.getAlgorithm().getParameters().toASN1Primitive();
    }

    private static String rsaBits(SubjectPublicKeyInfo info) {
        try {
            return String.valueOf(org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(info.parsePublicKey())
                    .getModulus().bitLength());
        } catch (IOException | RuntimeException e) {
            return "malformed";
        }
    }
}
