package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.policy.PeerDirectory;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.DocumentSigner;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyType;
import io.weft.pki.TrustVerifier;

/**
 * Test fixture: a Weft CA in a temporary folder, node certificates, and a state signer that
 * issues API client tokens in the manager's format.
 */
final class EdgePki {

    static final String DOMAIN = "edge.example";
    static final SecureRandom RANDOM = new SecureRandom();

    final CertificateAuthority ca;
    final Set<BigInteger> revoked = new CopyOnWriteArraySet<>();
    private final DocumentSigner signer;
    final X509Certificate signerCertificate;

    EdgePki(Path folder) throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(folder, "Weft Edge Test");
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        signerCertificate = ca.issue(IssueRequest.signer(CertificateProfile.STATE_SIGNING, keys.getPublic(),
                "state signer"));
        signer = new DocumentSigner(keys.getPrivate(), ca.chainFor(signerCertificate), RANDOM);
    }

    CallerAuthenticator authenticator() {
        return authenticator(PeerDirectory.empty());
    }

    CallerAuthenticator authenticator(PeerDirectory peers) {
        return new CallerAuthenticator(trust(), issuers(), Optional.of(signerCertificate), () -> revoked, peers,
                Clock.systemUTC());
    }

    TrustVerifier trust() {
        return new TrustVerifier(ca.rootCertificate(), () -> revoked, Clock.systemUTC());
    }

    /** A node's key and certificate chain. */
    record NodeCertificate(KeyPair keys, List<X509Certificate> chain) {
    }

    NodeCertificate node(String name) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), name, DOMAIN, name + "-id"));
        return new NodeCertificate(keys, ca.chainFor(leaf));
    }

    /** Returns a token in the manager's format with these claims. */
    String token(String type, String client, List<String> scopes, Instant expiresAt) {
        String claims = "{\"type\":\"" + type + "\",\"id\":\"t1\",\"client\":\"" + client + "\",\"scopes\":"
                + scopes.stream().map(scope -> "\"" + scope + "\"").toList() + ",\"issuedAt\":0,\"expiresAt\":"
                + expiresAt.getEpochSecond() + "}";
        return sign(claims);
    }

    String token(String client, List<String> scopes) {
        return token(ApiTokenVerifier.TYPE, client, scopes, Instant.now().plusSeconds(600));
    }

    /** Returns a token in the older format, which carries the signer's certificate in place of its key id. */
    String tokenWithCertificate(String client, List<String> scopes, Instant expiresAt) {
        String claims = "{\"type\":\"" + ApiTokenVerifier.TYPE + "\",\"id\":\"t1\",\"client\":\"" + client
                + "\",\"scopes\":" + scopes.stream().map(scope -> "\"" + scope + "\"").toList()
                + ",\"issuedAt\":0,\"expiresAt\":" + expiresAt.getEpochSecond() + "}";
        JsonNode json = envelope(claims);
        return ApiTokenVerifier.PREFIX + url(json.path("payload").asText()) + "." + url(json.path("signature")
                .asText()) + "." + url(json.path("chain").get(0).asText());
    }

    /** Signs claims and writes the token as the manager does: claims, signature and the signer's key id. */
    String sign(String claims) {
        JsonNode json = envelope(claims);
        return ApiTokenVerifier.PREFIX + url(json.path("payload").asText()) + "." + url(json.path("signature")
                .asText()) + "." + ApiTokenVerifier.keyId(Base64.getDecoder().decode(json.path("chain").get(0)
                .asText()));
    }

    private JsonNode envelope(String claims) {
        try {
            return new ObjectMapper().readTree(signer.sign(claims.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the CA certificates between a signer and the root, as a node's chain carries them. */
    List<X509Certificate> issuers() {
        return ca.caChain();
    }

    private static String url(String base64) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(base64));
    }
}
