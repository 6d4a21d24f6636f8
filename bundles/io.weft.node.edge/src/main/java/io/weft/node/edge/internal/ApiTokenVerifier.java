package io.weft.node.edge.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.pki.DocumentVerifier;
import io.weft.pki.KeyPurpose;
import io.weft.pki.PkiException;
import io.weft.pki.TrustVerifier;

/**
 * Verifies API client tokens offline, with the Weft root CA and the revoked serials of the
 * node's applied state.
 *
 * <p>A token is {@code weft-api.} followed by the unpadded Base64url form of a signed envelope
 * of {@code io.weft.pki.DocumentSigner}, signed by the manager's state-signing key. The payload
 * is the JSON object {@code {"type": "weft-api-client-token", "id": ..., "client": ...,
 * "scopes": ["app/operation", "app/*"], "issuedAt": <epoch seconds>, "expiresAt": <epoch seconds>}}.
 * The {@code type} keeps a signed desired state from passing as a token, because both share the key.
 */
final class ApiTokenVerifier {

    static final String PREFIX = "weft-api.";
    static final String TYPE = "weft-api-client-token";
    /** Maximum length of a token; a token with a three-certificate chain has about 3,500 characters. */
    static final int MAX_LENGTH = 8192;

    private final DocumentVerifier verifier;
    private final Clock clock;

    ApiTokenVerifier(TrustVerifier trust, Clock clock) {
        this.verifier = new DocumentVerifier(trust, KeyPurpose.STATE_SIGNING);
        this.clock = Objects.requireNonNull(clock, "clock");
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

    private static byte[] envelope(String token) {
        if (token.length() > MAX_LENGTH || !token.startsWith(PREFIX)) {
            throw EdgeError.unauthorized("The bearer token is not a Weft API token: it must start with '" + PREFIX
                    + "' and have at most " + MAX_LENGTH + " characters. Use a token from POST"
                    + " /api/v1/api-clients/{client}/tokens of the manager.");
        }
        try {
            return Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw EdgeError.unauthorized("The API token is not valid Base64url after '" + PREFIX + "'.");
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
