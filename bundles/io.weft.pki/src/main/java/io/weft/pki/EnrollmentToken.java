package io.weft.pki;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Single-use enrollment token that an operator hands to a new node. It carries the manager's
 * enrollment URL, its control address, the SHA-256 fingerprint of the Weft root CA (so the
 * node can authenticate the manager on first contact), the node id, a random secret and an
 * expiry time.
 *
 * <p>Encoded form: {@code weft-enroll-v1.} followed by the unpadded Base64url encoding of a
 * UTF-8 JSON object with exactly the members {@code enrollmentUrl}, {@code controlAddress},
 * {@code caFingerprint}, {@code nodeId}, {@code secret} (unpadded Base64url) and
 * {@code expiresAt} (ISO-8601 UTC instant). The manager stores only {@link #hashSecret} of the
 * secret. {@link #toString()} omits the secret.
 */
public final class EnrollmentToken {

    public static final String PREFIX = "weft-enroll-v1.";
    /** Length of a generated secret: 256 bits. */
    public static final int SECRET_BYTES = 32;
    /** Minimum length of a decoded secret: 128 bits. */
    public static final int MIN_SECRET_BYTES = 16;
    /** Maximum length of a decoded secret, in bytes. */
    public static final int MAX_SECRET_BYTES = 64;
    /** Maximum length of an encoded token, in characters. */
    public static final int MAX_LENGTH = 2048;

    private static final List<String> FIELDS = List.of("enrollmentUrl", "controlAddress", "caFingerprint", "nodeId",
            "secret", "expiresAt");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final URI enrollmentUrl;
    private final String controlAddress;
    private final Fingerprint caFingerprint;
    private final String nodeId;
    private final byte[] secret;
    private final Instant expiresAt;

    /**
     * @throws PkiException when a value is invalid: the URL is not https with a host, the
     *                      control address is not {@code host:port}, the node id is invalid, or
     *                      the secret is shorter than 128 bits
     */
    public EnrollmentToken(URI enrollmentUrl, String controlAddress, Fingerprint caFingerprint, String nodeId,
            byte[] secret, Instant expiresAt) {
        this.enrollmentUrl = requireHttpsUrl(Objects.requireNonNull(enrollmentUrl, "enrollmentUrl"));
        this.controlAddress = requireControlAddress(Objects.requireNonNull(controlAddress, "controlAddress"));
        this.caFingerprint = Objects.requireNonNull(caFingerprint, "caFingerprint");
        if (!IssueRequest.isValidNodeId(nodeId)) {
            throw new PkiException("The enrollment token's nodeId '" + nodeId + "' is invalid. It must be 1 to 128"
                    + " letters, digits, dots, underscores or hyphens, starting with a letter or digit.");
        }
        this.nodeId = nodeId;
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
            throw new PkiException("The enrollment token's secret has " + secret.length + " bytes, but it must have "
                    + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + ".");
        }
        this.secret = secret.clone();
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Creates a token with a new random secret of {@link #SECRET_BYTES} bytes. */
    public static EnrollmentToken generate(URI enrollmentUrl, String controlAddress, Fingerprint caFingerprint,
            String nodeId, Instant expiresAt, SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new EnrollmentToken(enrollmentUrl, controlAddress, caFingerprint, nodeId, secret, expiresAt);
    }

    /** Returns the encoded token, which contains the secret. */
    public String encode() {
        ObjectNode json = JSON.createObjectNode();
        json.put("enrollmentUrl", enrollmentUrl.toString());
        json.put("controlAddress", controlAddress);
        json.put("caFingerprint", caFingerprint.toString());
        json.put("nodeId", nodeId);
        json.put("secret", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        json.put("expiresAt", expiresAt.toString());
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Decodes and validates a token. It does not check the expiry, which {@link #isExpiredAt} does.
     *
     * @throws PkiException naming the problem: wrong prefix, truncated or bad Base64url, invalid
     *                      JSON, a missing, unknown or mistyped member, or an invalid value
     */
    public static EnrollmentToken decode(String token) {
        Objects.requireNonNull(token, "token");
        String text = token.strip();
        if (text.length() > MAX_LENGTH) {
            throw invalid("it has " + text.length() + " characters, more than the maximum of " + MAX_LENGTH);
        }
        if (!text.startsWith(PREFIX)) {
            throw invalid("it does not start with '" + PREFIX + "'");
        }
        ObjectNode json = parseJson(decodeBase64(text.substring(PREFIX.length()), "token body"));
        requireExactFields(json);

        URI url = parseUrl(text(json, "enrollmentUrl"));
        Fingerprint fingerprint;
        try {
            fingerprint = Fingerprint.parse(text(json, "caFingerprint"));
        } catch (PkiException e) {
            throw invalid("its caFingerprint is malformed: " + e.getMessage());
        }
        byte[] secret = decodeBase64(text(json, "secret"), "secret");
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(text(json, "expiresAt"));
        } catch (DateTimeParseException e) {
            throw invalid("its expiresAt is not an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
        try {
            return new EnrollmentToken(url, text(json, "controlAddress"), fingerprint, text(json, "nodeId"), secret,
                    expiresAt);
        } catch (PkiException e) {
            throw new PkiException("The enrollment token is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the hash of a secret to store instead of the secret: SHA-256 as 64 lower-case
     * hexadecimal digits. A secret of at least 128 random bits needs no salt or slow hash,
     * because it cannot be guessed from its hash.
     */
    public static String hashSecret(byte[] secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Returns true when {@code presented} hashes to {@code storedHash}. The comparison takes constant time. */
    public static boolean secretMatches(byte[] presented, String storedHash) {
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), expected);
    }

    /** Returns true when the token expired at or before {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public URI enrollmentUrl() {
        return enrollmentUrl;
    }

    /** Returns the manager's control address as {@code host:port}, with an IPv6 host in brackets. */
    public String controlAddress() {
        return controlAddress;
    }

    /** Returns the host of the control address, without brackets. */
    public String controlHost() {
        int colon = controlAddress.lastIndexOf(':');
        String host = controlAddress.substring(0, colon);
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    public int controlPort() {
        return Integer.parseInt(controlAddress.substring(controlAddress.lastIndexOf(':') + 1));
    }

    public Fingerprint caFingerprint() {
        return caFingerprint;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Returns a copy of the secret. */
    public byte[] secret() {
        return secret.clone();
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Returns the token's fields without the secret. */
    @Override
    public String toString() {
        return "EnrollmentToken[enrollmentUrl=" + enrollmentUrl + ", controlAddress=" + controlAddress
                + ", caFingerprint=" + caFingerprint + ", nodeId=" + nodeId + ", expiresAt=" + expiresAt + "]";
    }

    private static ObjectNode parseJson(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid("its body is not valid JSON, so the token may be truncated");
        } catch (java.io.IOException e) {
            throw invalid("its body cannot be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode)) {
            throw invalid("its body is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void requireExactFields(ObjectNode json) {
        Set<String> missing = new LinkedHashSet<>(FIELDS);
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!missing.remove(name)) {
                throw invalid("it has the unknown member '" + name + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw invalid("it lacks the member" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
    }

    private static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (!value.isTextual()) {
            throw invalid("its member " + field + " is not a string");
        }
        return value.textValue();
    }

    private static byte[] decodeBase64(String text, String field) {
        if (text.isEmpty() || !BASE64URL.matcher(text).matches()) {
            throw invalid("its " + field + " is not unpadded Base64url text");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid("its " + field + " is not valid Base64url, so the token may be truncated");
        }
    }

    private static URI parseUrl(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("its enrollmentUrl '" + text + "' is not a valid URL");
        }
    }

    private static URI requireHttpsUrl(URI url) {
        if (url.getScheme() == null || !url.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new PkiException("The enrollment URL '" + url + "' must use https.");
        }
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new PkiException("The enrollment URL '" + url + "' must have a host, and no user info or fragment.");
        }
        return url;
    }

    private static String requireControlAddress(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon);
        String port = colon < 0 ? "" : address.substring(colon + 1);
        boolean validHost = host.startsWith("[") && host.endsWith("]") && host.length() > 2
                ? host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+")
                : HOST.matcher(host).matches();
        if (!validHost || !isPort(port)) {
            throw new PkiException("The control address '" + address + "' is invalid. Expected host:port, such as"
                    + " manager.example.com:7443 or [2001:db8::1]:7443, with a port from 1 to 65535.");
        }
        return address;
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256.", e);
        }
    }

    private static PkiException invalid(String reason) {
        String sentence = reason.endsWith(".") ? reason : reason + ".";
        return new PkiException("The enrollment token is invalid: " + sentence);
    }
}
