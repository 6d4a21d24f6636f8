package io.weft.runtime.internal.access;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Builds OpenSSH public key lines for tests, following RFC 5656 for ECDSA keys. */
final class OpenSshKeys {

    private OpenSshKeys() {
    }

    static String newEcdsaP256Line(String comment) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
            return "ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(ecdsaBlob(key)) + " " + comment;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Failed to generate a test key", e);
        }
    }

    /** Returns a line whose blob names {@code embeddedType} while the line names {@code lineType}. */
    static String lineWithBlobType(String lineType, String embeddedType) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            writeString(out, embeddedType.getBytes(StandardCharsets.US_ASCII));
            writeString(out, new byte[32]);
            return lineType + " " + Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ecdsaBlob(ECPublicKey key) throws IOException {
        ByteArrayOutputStream point = new ByteArrayOutputStream();
        point.write(4);
        point.write(unsigned32(key.getW().getAffineX()));
        point.write(unsigned32(key.getW().getAffineY()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeString(out, "ecdsa-sha2-nistp256".getBytes(StandardCharsets.US_ASCII));
        writeString(out, "nistp256".getBytes(StandardCharsets.US_ASCII));
        writeString(out, point.toByteArray());
        return bytes.toByteArray();
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
        return fixed;
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(Arrays.copyOf(value, value.length));
    }
}
