package io.weft.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test fixtures: a CA in a temporary directory and certificates issued by it. */
final class TestPki {

    static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    static CertificateAuthority createCa(Path directory, Clock clock, String name) throws IOException {
        return new CaFiles(clock, RANDOM).create(directory, name);
    }

    /** An end entity with its key and full chain. */
    record Holder(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
    }

    static Holder node(CertificateAuthority ca, String nodeName) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate certificate = ca.issue(IssueRequest.node(keys.getPublic(), nodeName, "edge.example", nodeName
                + "-id"));
        return new Holder(keys, certificate, ca.chainFor(certificate));
    }

    static Holder server(CertificateAuthority ca) throws IOException {
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate certificate = ca.issue(IssueRequest.server(keys.getPublic(), "manager",
                List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"))));
        return new Holder(keys, certificate, ca.chainFor(certificate));
    }

    static Holder signer(CertificateAuthority ca, CertificateProfile profile) {
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate certificate = ca.issue(IssueRequest.signer(profile, keys.getPublic(), "state signer"));
        return new Holder(keys, certificate, ca.chainFor(certificate));
    }
}
