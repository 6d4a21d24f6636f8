package io.weft.manager.pki.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.Pem;

/**
 * A key and certificate chain of the manager itself, stored as two owner-only PEM files and
 * issued again when it is missing, was issued by another CA, names other hosts, or has less
 * than a third of its lifetime left.
 *
 * @param key   the private key
 * @param chain the certificate, the issuing CA and the root CA
 */
record ServerCredentials(PrivateKey key, List<X509Certificate> chain) {

    private static final int MAX_FILE_BYTES = 64 * 1024;
    private static final int SUBJECT_ALT_NAME_DNS = 2;
    private static final int SUBJECT_ALT_NAME_IP = 7;

    X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Loads the credentials named {@code name} from the folder, or issues new ones.
     *
     * @return the credentials and whether they were issued now
     */
    static Loaded loadOrIssue(Path folder, String name, IssueRequestBuilder requestFor, CertificateAuthority ca,
            Clock clock, SecureRandom random) throws IOException {
        Path keyFile = folder.resolve(name + "-key.pem");
        Path chainFile = folder.resolve(name + "-chain.pem");
        if (Files.exists(keyFile) && Files.exists(chainFile)) {
            ServerCredentials stored = new ServerCredentials(
                    Pem.readPrivateKey(new String(OwnerOnlyFiles.read(keyFile, MAX_FILE_BYTES), StandardCharsets.UTF_8)),
                    Pem.readCertificates(new String(OwnerOnlyFiles.read(chainFile, MAX_FILE_BYTES),
                            StandardCharsets.UTF_8)));
            if (stored.stillFits(requestFor.request(stored.certificate().getPublicKey()), ca, clock.instant())) {
                return new Loaded(stored, false);
            }
        }

        return new Loaded(issue(folder, name, requestFor, ca, random), true);
    }

    /** Issues a new key and certificate named {@code name} and writes them to the folder, replacing earlier ones. */
    static ServerCredentials issue(Path folder, String name, IssueRequestBuilder requestFor, CertificateAuthority ca,
            SecureRandom random) throws IOException {
        KeyPair keyPair = KeyPairs.generateNodeKeyPair(random);
        X509Certificate certificate = ca.issue(requestFor.request(keyPair.getPublic()));
        ServerCredentials issued = new ServerCredentials(keyPair.getPrivate(), ca.chainFor(certificate));
        OwnerOnlyFiles.write(folder.resolve(name + "-key.pem"), Pem.toPem(issued.key()).getBytes(StandardCharsets.UTF_8));
        OwnerOnlyFiles.write(folder.resolve(name + "-chain.pem"),
                Pem.toPem(issued.chain()).getBytes(StandardCharsets.UTF_8));
        return issued;
    }

    /** Credentials and whether they were issued now. */
    record Loaded(ServerCredentials credentials, boolean issued) {
    }

    /** Returns whether the stored certificate was issued by this CA for the same names and is not near expiry. */
    private boolean stillFits(IssueRequest request, CertificateAuthority ca, Instant now) {
        X509Certificate certificate = certificate();
        if (!certificate.getIssuerX500Principal().equals(ca.issuingCertificate().getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(ca.issuingCertificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        if (now.isAfter(notAfter.minus(lifetime.dividedBy(3)))) {
            return false;
        }
        return names(certificate).equals(names(request));
    }

    private static Set<String> names(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    int type = (Integer) name.get(0);
                    if (type == SUBJECT_ALT_NAME_DNS || type == SUBJECT_ALT_NAME_IP) {
                        names.add(type + ":" + name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> names(IssueRequest request) {
        Set<String> names = new HashSet<>();
        request.dnsNames().forEach(name -> names.add(SUBJECT_ALT_NAME_DNS + ":" + name));
        request.ipAddresses().forEach(address -> names.add(SUBJECT_ALT_NAME_IP + ":" + address.getHostAddress()));
        return names;
    }

    /** Returns the key and chain as a PKCS#12 key store protected by the password. */
    byte[] toPkcs12(String alias, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IOException("Failed to build the PKCS#12 key store of " + certificate().getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Returns the IP addresses of the texts, which must be literal addresses, never host names. */
    static List<InetAddress> ipAddresses(String[] texts) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String text : texts) {
            String literal = text.strip();
            if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new IllegalArgumentException("Invalid IP address '" + literal + "' in serverIpAddresses of PID "
                        + ManagerPkiComponent.PID + ": give literal IPv4 or IPv6 addresses, put host names into "
                        + "serverDnsNames");
            }
            try {
                addresses.add(InetAddress.getByName(literal));
            } catch (IOException e) {
                throw new IllegalArgumentException("Invalid IP address '" + literal + "' in serverIpAddresses", e);
            }
        }
        return addresses;
    }

    /** Builds the issue request for a public key. */
    @FunctionalInterface
    interface IssueRequestBuilder {
        IssueRequest request(PublicKey publicKey);
    }
}
