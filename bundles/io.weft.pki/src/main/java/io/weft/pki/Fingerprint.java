package io.weft.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * SHA-256 fingerprint of a DER certificate, as operators compare it with
 * {@code openssl x509 -noout -fingerprint -sha256}.
 *
 * <p>{@link #toString()} returns 64 lower-case hexadecimal digits without colons.
 * {@link #parse} also accepts upper case, colons between the bytes and a {@code sha256:}
 * prefix.
 */
public final class Fingerprint {

    /** Length of a SHA-256 digest in bytes. */
    public static final int BYTES = 32;
    private static final String PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] digest;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
    }

    /** Computes the fingerprint of a certificate's DER encoding. */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new PkiException("The certificate cannot be encoded for its fingerprint: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256.", e);
        }
    }

    /**
     * Parses 64 hexadecimal digits, optionally with a {@code sha256:} prefix (any case) and a
     * colon between each pair of digits, such as {@code SHA256:AB:CD:…} or {@code abcd…}.
     *
     * @throws PkiException when the text is not of this form
     */
    public static Fingerprint parse(String text) {
        Objects.requireNonNull(text, "text");
        String hex = text.strip();
        if (hex.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            hex = hex.substring(PREFIX.length());
        }
        if (hex.indexOf(':') >= 0) {
            hex = removeColons(text, hex);
        }
        if (hex.length() != 2 * BYTES || !isHex(hex)) {
            throw malformed(text);
        }
        return new Fingerprint(HEX.parseHex(hex.toLowerCase(Locale.ROOT)));
    }

    /** Returns true when {@code certificate} has this fingerprint. The comparison takes constant time. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(digest, of(certificate).digest);
    }

    /** Returns a copy of the 32 digest bytes. */
    public byte[] bytes() {
        return digest.clone();
    }

    /** Returns the fingerprint with a colon between bytes, in upper case, as OpenSSL prints it. */
    public String toColonHex() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** Returns the 64 lower-case hexadecimal digits without separators. */
    @Override
    public String toString() {
        return HEX.formatHex(digest);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint && MessageDigest.isEqual(digest, ((Fingerprint) other).digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    /** Accepts only a colon between each pair of digits, as in {@code AB:CD:EF}. */
    private static String removeColons(String original, String hex) {
        if (hex.length() != 3 * BYTES - 1) {
            throw malformed(original);
        }
        StringBuilder digits = new StringBuilder(2 * BYTES);
        for (int i = 0; i < hex.length(); i++) {
            boolean separatorPosition = i % 3 == 2;
            if (separatorPosition != (hex.charAt(i) == ':')) {
                throw malformed(original);
            }
            if (!separatorPosition) {
                digits.append(hex.charAt(i));
            }
        }
        return digits.toString();
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static PkiException malformed(String text) {
        String excerpt = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return new PkiException("The fingerprint '" + excerpt + "' is malformed. Expected a SHA-256 fingerprint of"
                + " 64 hexadecimal digits, optionally prefixed with 'sha256:' or with colons between the bytes.");
    }
}
