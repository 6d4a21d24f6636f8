package io.weft.node.edge.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.weft.app.api.Caller;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.policy.ClientSubject;
import io.weft.policy.NodeSubject;
import io.weft.pki.KeyPurpose;
import io.weft.pki.PkiException;
import io.weft.pki.TrustVerifier;

/**
 * Authenticates Edge API callers: an API client by its bearer token, otherwise a node by its
 * TLS client certificate. Thread-safe.
 *
 * <p>Verified tokens are cached by their text, at most {@link #MAX_CACHED_TOKENS}, so a client
 * that calls often does not pay for a chain validation per call. The expiry is checked on every
 * call. A new authenticator, with an empty cache, is made for every applied state, so a revoked
 * signer takes effect with the state that revokes it.
 */
final class CallerAuthenticator {

    static final int MAX_CACHED_TOKENS = 1024;
    private static final String BEARER = "Bearer ";
    private static final int DNS_NAME = 2;

    private final TrustVerifier trust;
    private final ApiTokenVerifier tokens;
    private final Clock clock;
    private final Map<String, ApiToken> verified = new ConcurrentHashMap<>();

    CallerAuthenticator(TrustVerifier trust, Clock clock) {
        this.trust = trust;
        this.tokens = new ApiTokenVerifier(trust, clock);
        this.clock = clock;
    }

    /**
     * Returns the caller of a request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param clientChain   the TLS client certificate chain, or null when the caller sent none
     * @throws EdgeError with status 401 when neither identifies a caller
     */
    AuthenticatedCaller authenticate(String authorization, X509Certificate[] clientChain) {
        if (authorization != null) {
            return client(authorization);
        }
        if (clientChain != null && clientChain.length > 0) {
            return node(List.of(clientChain));
        }
        throw EdgeError.unauthorized("The request carries neither a bearer token nor a client certificate. Send"
                + " 'Authorization: Bearer <token>' with a token from POST /api/v1/api-clients/{client}/tokens of"
                + " the manager, or call with a node certificate of this fleet.");
    }

    private AuthenticatedCaller client(String authorization) {
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw EdgeError.unauthorized("The Authorization header must be 'Bearer <token>'.");
        }
        String text = authorization.substring(BEARER.length()).strip();
        ApiToken token = verified.get(text);
        if (token == null || !clock.instant().isBefore(token.expiresAt())) {
            verified.remove(text);
            token = tokens.verify(text);
            cache(text, token);
        }
        return new AuthenticatedCaller(new Caller(Caller.Kind.CLIENT, token.client()), clientSubject(token),
                Optional.of(token));
    }

    private void cache(String text, ApiToken token) {
        if (verified.size() >= MAX_CACHED_TOKENS) {
            verified.clear();
        }
        verified.put(text, token);
    }

    private static ClientSubject clientSubject(ApiToken token) {
        try {
            return ClientSubject.of(token.client());
        } catch (RuntimeException e) {
            throw EdgeError.unauthorized("The API token names the invalid client '" + token.client() + "'.");
        }
    }

    private AuthenticatedCaller node(List<X509Certificate> chain) {
        X509Certificate leaf;
        try {
            leaf = trust.verify(chain, KeyPurpose.TLS_CLIENT);
        } catch (PkiException e) {
            throw EdgeError.unauthorized("The client certificate is not valid in this fleet: " + e.getMessage());
        }
        NodeFullName name = fullName(leaf);
        NodeSubject subject = new NodeSubject(name, NodeRole.EDGE, Set.of(), Optional.empty());
        return new AuthenticatedCaller(new Caller(Caller.Kind.NODE, name.toString()), subject, Optional.empty());
    }

    /** Returns the node's full name, the first DNS name of its certificate. */
    static NodeFullName fullName(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() == 2 && Integer.valueOf(DNS_NAME).equals(name.get(0))) {
                        return NodeFullName.parse((String) name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException | RuntimeException e) {
            throw EdgeError.unauthorized("The client certificate's DNS name is not a node name: " + e.getMessage());
        }
        throw EdgeError.unauthorized("The client certificate has no DNS name, so it is not a node certificate.");
    }
}
