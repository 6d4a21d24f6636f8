package io.weft.node.edge.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.pki.DocumentVerifier;
import io.weft.pki.KeyPurpose;
import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import io.weft.pki.TrustVerifier;

/**
 * Verifies API client tokens offline, with the Weft root CA, the issuing CA of the node's own
 * chain, and the state-signing certificate and revoked serials of the node's applied state.
 *
 * <p>A token is {@code weft-api.<claims>.<signature>.<key id>}, three unpadded Base64url
 * parts: the claims as UTF-8 JSON, the signature over those bytes by the manager's
 * state-signing key, and the key id, SHA-256 of that key's DER certificate ({@value #KEY_ID_LENGTH}
 * characters). The node looks the key id up in the signer certificate of its applied state,
 * because the manager signs desired states with the same key. Tokens of the older format carry
 * the signer's DER certificate in place of the key id, and are accepted until they expire. A
 * certificate in DER is always longer than 32 bytes, so the length of the third part
 * distinguishes the formats. Either way, the signer chain is validated in full. The claims are the JSON object
 * {@code {"type": "weft-api-client-token", "id": ..., "client": ..., "scopes": ["app/operation",
 * "app/*"], "issuedAt": <epoch seconds>, "expiresAt": <epoch seconds>}}. The {@code type} keeps
 * a signed desired state from passing as a token, because both share the key. The token leaves
 * out the CA certificates that every node has, because callers send it with every request.
 */
final class ApiTokenVerifier {

    static final String PREFIX = "weft-api.";
    static final String TYPE = "weft-api-client-token";
    /**
     * Maximum length of a token. A token with a key id has about 360 characters, and one of the
     * older format with a P-256 signer certificate about 1,100.
     */
    static final int MAX_LENGTH = 8192;
    /** Length of a key id: SHA-256 in unpadded Base64url. */
    static final int KEY_ID_LENGTH = 43;

    private final DocumentVerifier verifier;
    private final List<String> issuers;
    private final byte[] stateSigner;
    private final String stateSignerKeyId;
    private final Clock clock;

    /**
     * @param issuers     the CA certificates between a signer and the root, from the node's own chain
     * @param stateSigner the certificate that signed the node's applied state, empty before the
     *                    node applied one
     */
    ApiTokenVerifier(TrustVerifier trust, List<X509Certificate> issuers, Optional<X509Certificate> stateSigner,
            Clock clock) {
        this.verifier = new DocumentVerifier(trust, KeyPurpose.STATE_SIGNING);
        this.issuers = issuers.stream().map(ApiTokenVerifier::base64).toList();
        this.stateSigner = stateSigner.map(ApiTokenVerifier::der).orElse(null);
        this.stateSignerKeyId = this.stateSigner == null ? null : keyId(this.stateSigner);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns the key id of a DER certificate: SHA-256 of the DER bytes in unpadded Base64url. */
    static String keyId(byte[] der) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    /**
     * Verifies a token and returns its claims.
     *
     * @throws EdgeError with status 401 and the reason when the token is malformed, not signed
     *                   by the manager, or expired
     */
    ApiToken verify(String token) {
        JsonNode claims = claims(envelope(token));
        ApiToken parsed = parse(claims);
        Instant now = clock.instant();
        if (!now.isBefore(parsed.expiresAt())) {
            throw EdgeError.unauthorized("The API token " + parsed.id() + " of client '" + parsed.client()
                    + "' expired at " + parsed.expiresAt() + ". Ask the manager for a new one with POST"
                    + " /api/v1/api-clients/" + parsed.client() + "/tokens.");
        }
        return parsed;
    }

    /** Rebuilds the signed envelope of {@code io.weft.pki.DocumentSigner} from the token's parts. */
    private byte[] envelope(String token) {
        String[] parts = token.length() > MAX_LENGTH || !token.startsWith(PREFIX) ? new String[0]
                : token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3) {
            throw EdgeError.unauthorized("The bearer token is not a Weft API token: it must be '" + PREFIX
                    + "' and three Base64url parts separated by '.', with at most " + MAX_LENGTH + " characters."
                    + " Use a token from POST /api/v1/api-clients/{client}/tokens of the manager.");
        }
        byte[] signer = parts[2].length() == KEY_ID_LENGTH ? signerOf(parts[2]) : decode(parts[2]);
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("format", "weft-signed-v1");
        envelope.put("algorithm", algorithm(signer));
        envelope.put("payload", Base64.getEncoder().encodeToString(decode(parts[0])));
        envelope.put("signature", Base64.getEncoder().encodeToString(decode(parts[1])));
        ArrayNode chain = envelope.putArray("chain");
        chain.add(Base64.getEncoder().encodeToString(signer));
        issuers.forEach(chain::add);
        return envelope.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the DER certificate of the applied state's signer when its key id matches.
     *
     * <p>NOTE: the node stores only the signer of its current state. When the manager issues
     * itself a new state-signing key at start (ServerCredentials.loadOrIssue), key-id tokens of
     * the previous key get 401 once the node applies a state signed with the new key, although
     * they have not expired. Clients then need new tokens.
     */
    private byte[] signerOf(String keyId) {
        if (stateSigner == null) {
            throw EdgeError.unauthorized("The API token names the signer key id " + keyId + ", but this node has"
                    + " not applied a desired state yet, which carries the manager's signer certificate. Retry"
                    + " when the node has received its state from the manager.");
        }
        if (!MessageDigest.isEqual(keyId.getBytes(StandardCharsets.US_ASCII),
                stateSignerKeyId.getBytes(StandardCharsets.US_ASCII))) {
            throw EdgeError.unauthorized("The API token was signed by the key " + keyId + ", which is not the"
                    + " signer " + stateSignerKeyId + " of this node's applied state. If the manager has a new"
                    + " state-signing key, the node has not received a state signed with it yet: retry after the"
                    + " node's state updates. Otherwise ask the manager for a new token.");
        }
        return stateSigner;
    }

    private static String algorithm(byte[] signer) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(signer));
            return KeyType.of(certificate.getPublicKey(), KeyType.ALL).signatureAlgorithm();
        } catch (CertificateException | PkiException e) {
            throw EdgeError.unauthorized("The signer certificate of the API token is invalid: " + e.getMessage());
        }
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw EdgeError.unauthorized("A part of the API token is not valid Base64url.");
        }
    }

    private static String base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(der(certificate));
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate " + certificate.getSubjectX500Principal()
                    + " cannot be encoded in DER", e);
        }
    }

    private JsonNode claims(byte[] envelope) {
        byte[] payload;
        try {
            payload = verifier.verify(envelope).payload();
        } catch (PkiException e) {
            throw EdgeError.unauthorized("The API token was not signed by this fleet's manager: " + e.getMessage());
        }
        try {
            return Json.MAPPER.readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw EdgeError.unauthorized("The claims of the API token are not JSON.");
        }
    }

    private static ApiToken parse(JsonNode claims) {
        if (!TYPE.equals(claims.path("type").asText())) {
            throw EdgeError.unauthorized("The signed document is not an API client token: its type is '"
                    + claims.path("type").asText() + "', not '" + TYPE + "'.");
        }
        String id = required(claims, "id");
        String client = required(claims, "client");
        JsonNode expiresAt = claims.path("expiresAt");
        if (!expiresAt.canConvertToLong()) {
            throw EdgeError.unauthorized("The API token " + id + " has no expiresAt in epoch seconds.");
        }
        List<String> scopes = new ArrayList<>();
        claims.path("scopes").forEach(scope -> scopes.add(scope.asText()));
        return new ApiToken(id, client, scopes, Instant.ofEpochSecond(expiresAt.asLong()));
    }

    private static String required(JsonNode claims, String field) {
        String value = claims.path(field).asText("");
        if (value.isBlank()) {
            throw EdgeError.unauthorized("The API token has no '" + field + "' claim.");
        }
        return value;
    }
}
