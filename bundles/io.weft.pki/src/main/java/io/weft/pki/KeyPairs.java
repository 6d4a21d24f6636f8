package io.weft.pki;

import io.weft.pki.internal.Bc;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/** Generates key pairs with the bundle's Bouncy Castle provider. */
public final class KeyPairs {

    private KeyPairs() {
    }

    /** Generates the key pair that a node keeps for its certificate: EC P-256. */
    public static KeyPair generateNodeKeyPair(SecureRandom random) {
        return generate(KeyType.EC_P256, random);
    }

    /** Generates a key pair of the given type from {@code random}. */
    public static KeyPair generate(KeyType type, SecureRandom random) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(random, "random");
        try {
            KeyPairGenerator generator;
            switch (type) {
                case EC_P256:
                    generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
                    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                    break;
                case EC_P384:
                    generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
                    generator.initialize(new ECGenParameterSpec("secp384r1"), random);
                    break;
                case ED25519:
                    generator = KeyPairGenerator.getInstance("Ed25519", Bc.PROVIDER);
                    generator.initialize(255, random);
                    break;
                default:
                    throw new IllegalArgumentException("Unknown key type " + type);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("Generating an " + type.displayName() + " key pair failed: " + e.getMessage(), e);
        }
    }
}
