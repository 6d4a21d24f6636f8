package io.weft.node.edge.internal;

import java.math.BigInteger;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.weft.app.api.Caller;
import io.weft.fleet.NodeFullName;
import io.weft.policy.ClientSubject;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.pki.TrustVerifier;

/**
 * Authenticates Edge API callers: an API client by its bearer token, otherwise a node by its
 * TLS client certificate. A request with both is an API client's call that the node of the
 * certificate forwarded, and that node must pass the same checks as a node caller. Thread-safe.
 *
 * <p>Verified tokens are cached by their text, at most {@link #MAX_CACHED_TOKENS}, so a client
 * that calls often does not pay for a chain validation per call. The expiry is checked on every
 * call. A new authenticator, with an empty cache, is made for every applied state, so a revoked
 * signer takes effect with the state that revokes it.
 *
 * <p>A node's chain was validated in the TLS handshake by the Edge API's trust manager, which
 * uses the same {@link TrustVerifier}. A connection can outlive a revocation, so every request
 * checks again that the certificate has not expired and that no certificate of the chain is
 * revoked now. A node caller's role, tags and cluster come from the applied state's peer
 * directory, which the manager signed.
 */
final class CallerAuthenticator {

    static final int MAX_CACHED_TOKENS = 1024;
    private static final String BEARER = "Bearer ";
    private static final int DNS_NAME = 2;

    private final ApiTokenVerifier tokens;
    private final Supplier<? extends Collection<BigInteger>> revokedSerials;
    private final PeerDirectory peers;
    private final Clock clock;
    private final Map<String, ApiToken> verified = new ConcurrentHashMap<>();
    private final Map<BigInteger, NodeFullName> nodeNames = new ConcurrentHashMap<>();

    /**
     * @param issuers        the CA certificates between a token's signer and the root
     * @param stateSigner    the certificate that signed the applied state, which tokens name by key id
     * @param revokedSerials the serials revoked by the applied state, read on every request
     * @param peers          the peer directory of the applied state, for the attributes of node callers
     */
    CallerAuthenticator(TrustVerifier trust, List<X509Certificate> issuers, Optional<X509Certificate> stateSigner,
            Supplier<? extends Collection<BigInteger>> revokedSerials, PeerDirectory peers, Clock clock) {
        this.tokens = new ApiTokenVerifier(trust, issuers, stateSigner, clock);
        this.revokedSerials = revokedSerials;
        this.peers = peers;
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
        boolean hasChain = clientChain != null && clientChain.length > 0;
        if (authorization != null && hasChain) {
            // A node forwards an API client's call: the token names the caller, the certificate the relay.
            AuthenticatedCaller relay = node(List.of(clientChain));
            return client(authorization).relayedBy(relay.caller().name());
        }
        if (authorization != null) {
            return client(authorization);
        }
        if (hasChain) {
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
        X509Certificate leaf = chain.get(0);
        if (!clock.instant().isBefore(leaf.getNotAfter().toInstant())) {
            throw EdgeError.unauthorized("The client certificate expired at " + leaf.getNotAfter().toInstant()
                    + ".");
        }
        Collection<BigInteger> revoked = revokedSerials.get();
        for (X509Certificate certificate : chain) {
            if (revoked.contains(certificate.getSerialNumber())) {
                throw EdgeError.unauthorized("The client certificate chain contains the revoked serial 0x"
                        + certificate.getSerialNumber().toString(16) + ".");
            }
        }
        NodeFullName name = nodeName(leaf);
        NodeSubject subject = peers.subjectOf(name);
        return new AuthenticatedCaller(new Caller(Caller.Kind.NODE, name.toString()), subject, Optional.empty());
    }

    private NodeFullName nodeName(X509Certificate leaf) {
        NodeFullName name = nodeNames.get(leaf.getSerialNumber());
        if (name == null) {
            name = fullName(leaf);
            if (nodeNames.size() >= MAX_CACHED_TOKENS) {
                nodeNames.clear();
            }
            nodeNames.put(leaf.getSerialNumber(), name);
        }
        return name;
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
