package io.weft.systemtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * An EC P-256 key pair for the operator's SSH login. Karaf 4.4 verifies ECDSA and RSA keys
 * but not Ed25519.
 */
public final class OperatorKey {

    private final KeyPair keyPair;

    private OperatorKey(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    /** Generates a new key pair on curve secp256r1 (NIST P-256). */
    public static OperatorKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new OperatorKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Java 17 provides EC key generation on secp256r1", e);
        }
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** Returns the public key as one authorized_keys line: {@code ecdsa-sha2-nistp256 <base64> <comment>}. */
    public String publicKeyLine(String comment) {
        return PublicKeyEntry.toString(keyPair.getPublic()) + " " + comment;
    }

    /** Writes the public key line, with a line break, to the file. */
    public void writePublicKey(Path file, String comment) throws IOException {
        Files.writeString(file, publicKeyLine(comment) + "\n", StandardCharsets.US_ASCII);
    }
}
