package io.weft.manager.api.internal.apps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.access.Permissions;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.policy.AppOperation;
import io.weft.policy.ClientName;
import io.weft.policy.InvalidPolicyException;

/**
 * Issues API client tokens: signed with the manager's state-signing key, scoped to app
 * operations, with an expiry, and verified by the nodes offline against the Weft CA.
 *
 * <p>A token is {@code weft-api.<claims>.<signature>.<key id>}, three unpadded Base64url parts
 * taken from the envelope of {@link ManagerPki#signState}: the claims as UTF-8 JSON
 * {@code {"type": "weft-api-client-token", "id", "client", "scopes", "issuedAt", "expiresAt"}}
 * with times in epoch seconds, the signature over them, and the key id: SHA-256 of the signer's
 * DER certificate (43 characters). The token carries no certificate because callers send it
 * with every request. Each node already has the signer's certificate, because the same key
 * signs its desired state, and the CA certificates. The node's Edge API reads this format, and
 * also the older one that carried the signer's DER certificate in place of the key id. The manager stores no token, so a
 * token stays valid until it expires, or until the state-signing certificate is revoked.
 */
@Component(service = ApiClientTokenService.class)
public class ApiClientTokenService {

    static final String PREFIX = "weft-api.";
    static final String TYPE = "weft-api-client-token";
    static final long DEFAULT_EXPIRES_IN_SECONDS = 3_600;
    static final long MAX_EXPIRES_IN_SECONDS = 30L * 24 * 3_600;
    static final int MAX_SCOPES = 100;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ManagerPki pki;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public ApiClientTokenService(@Reference ManagerPki pki, @Reference AuditTrail audit) {
        this(pki, audit, Clock.systemUTC());
    }

    ApiClientTokenService(ManagerPki pki, AuditTrail audit, Clock clock) {
        this.pki = pki;
        this.audit = audit;
        this.clock = clock;
    }

    /** A token with its claims, returned once. Times are ISO-8601 instants in UTC. */
    public record IssuedApiClientToken(String id, String client, List<String> scopes, String issuedAt,
            String expiresAt, String token) {
    }

    /**
     * Issues a token after checking that the caller may manage access for the whole fleet.
     *
     * @throws InvalidFieldException naming the client, a scope or the expiry when one is invalid
     */
    public IssuedApiClientToken issue(Caller caller, String client, List<String> scopes, Long expiresInSeconds) {
        Permissions.check(caller, Action.MANAGE_ACCESS, AccessTarget.fleet());
        String name = clientName(client);
        List<String> checkedScopes = scopes(scopes);
        long lifetime = lifetime(expiresInSeconds);
        Instant issuedAt = clock.instant();
        String id = HexFormat.of().formatHex(randomBytes());
        Map<String, Object> claims = claims(id, name, checkedScopes, issuedAt, issuedAt.plusSeconds(lifetime));
        String token = compact(pki.signState(json(claims)));
        IssuedApiClientToken issued = new IssuedApiClientToken(id, name, checkedScopes, issuedAt.toString(),
                issuedAt.plusSeconds(lifetime).toString(), token);
        Map<String, Object> record = new LinkedHashMap<>(claims);
        record.remove("type");
        audit.record(caller, "api-client-token.issue", "api-client:" + name, null, record);
        return issued;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Map<String, Object> claims(String id, String client, List<String> scopes, Instant issuedAt,
            Instant expiresAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("type", TYPE);
        claims.put("id", id);
        claims.put("client", client);
        claims.put("scopes", scopes);
        claims.put("issuedAt", issuedAt.getEpochSecond());
        claims.put("expiresAt", expiresAt.getEpochSecond());
        return claims;
    }

    private static String clientName(String client) {
        try {
            return ClientName.of(client).toString();
        } catch (InvalidPolicyException | NullPointerException e) {
            throw new InvalidFieldException("client", "Invalid API client name '" + client + "': " + e.getMessage());
        }
    }

    /** Checks each scope: {@code app/operation}, or {@code app/*} for every operation of the app. */
    static List<String> scopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty() || scopes.size() > MAX_SCOPES) {
            throw new InvalidFieldException("scopes", "Give 1 to " + MAX_SCOPES + " scopes such as 'hello/greet'"
                    + " or 'hello/*'.");
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < scopes.size(); i++) {
            checked.add(scope(scopes.get(i), "scopes[" + i + "]"));
        }
        return List.copyOf(checked);
    }

    private static String scope(String scope, String field) {
        if (scope == null) {
            throw new InvalidFieldException(field, "A scope is missing: write 'app/operation' or 'app/*'.");
        }
        try {
            if (scope.endsWith("/*")) {
                new AppOperation(scope.substring(0, scope.length() - 2), "all");
                return scope;
            }
            return AppOperation.parse(scope).toString();
        } catch (InvalidPolicyException e) {
            throw new InvalidFieldException(field, "Invalid scope '" + scope + "': write 'app/operation' or"
                    + " 'app/*'. " + e.getMessage());
        }
    }

    private static long lifetime(Long expiresInSeconds) {
        long lifetime = expiresInSeconds == null ? DEFAULT_EXPIRES_IN_SECONDS : expiresInSeconds;
        if (lifetime < 1 || lifetime > MAX_EXPIRES_IN_SECONDS) {
            throw new InvalidFieldException("expiresInSeconds", "Invalid expiresInSeconds " + expiresInSeconds
                    + ": give 1 to " + MAX_EXPIRES_IN_SECONDS + " seconds (30 days).");
        }
        return lifetime;
    }

    /** Returns the token form of a signed envelope: its payload, signature and the key id of its first certificate. */
    static String compact(byte[] envelope) {
        JsonNode json;
        try {
            json = MAPPER.readTree(envelope);
        } catch (IOException e) {
            throw new IllegalStateException("The signed envelope of the token is not JSON", e);
        }
        return PREFIX + url(json.path("payload").asText()) + "." + url(json.path("signature").asText()) + "."
                + keyId(json.path("chain").path(0).asText());
    }

    /** Returns the key id of a Base64 DER certificate: SHA-256 of the DER bytes, unpadded Base64url. */
    static String keyId(String base64Certificate) {
        if (base64Certificate.isEmpty()) {
            throw new IllegalStateException("The signed envelope of the token lacks a member");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Certificate));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String url(String base64) {
        if (base64.isEmpty()) {
            throw new IllegalStateException("The signed envelope of the token lacks a member");
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(base64));
    }

    private static byte[] json(Map<String, Object> claims) {
        try {
            return MAPPER.writeValueAsString(claims).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the token claims failed", e);
        }
    }
}
