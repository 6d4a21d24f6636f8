package io.weft.node.agent.internal;

import io.weft.pki.Fingerprint;
import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's identity on disk, in a directory of mode 0700 with files of mode 0600:
 *
 * <ul>
 * <li>{@value #KEY_FILE}: the private key, unencrypted PKCS#8 PEM;
 * <li>{@value #CHAIN_FILE}: the node certificate, the issuing CA and the root CA, PEM;
 * <li>{@value #ROOT_FILE}: the Weft root CA certificate, PEM;
 * <li>{@value #RECORD_FILE}: node id, node name, control address, enrollment URL and root
 * fingerprint, JSON.
 * </ul>
 *
 * <p>A save replaces all four files as one unit. It writes each new file under a
 * {@value #PENDING_SUFFIX} name, then the commit marker {@value #COMMIT_FILE}, then renames
 * the new files over the old ones and deletes the marker. Every write is forced to disk. After
 * a crash, {@link #load} finishes the renames when the marker exists and discards the new files
 * when it does not, so the directory contains either the old or the new identity, never a mix.
 * Instances are not thread-safe: the agent saves from one thread.
 */
final class IdentityStore {

    static final String KEY_FILE = "node-key.pem";
    static final String CHAIN_FILE = "node-chain.pem";
    static final String ROOT_FILE = "root-ca.pem";
    static final String RECORD_FILE = "identity.json";
    static final String COMMIT_FILE = "commit";
    static final String PENDING_SUFFIX = ".new";

    private static final List<String> FILES = List.of(KEY_FILE, CHAIN_FILE, ROOT_FILE, RECORD_FILE);
    private static final int MAX_FILE_BYTES = 256 * 1024;
    private static final String ENROLL_AGAIN = "Enroll the node again: create an enrollment token on the manager"
            + " and run 'weft:enroll <token>'.";

    private final Path directory;

    IdentityStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    Path directory() {
        return directory;
    }

    /** Returns true when any identity file exists, so that an incomplete identity is reported rather than ignored. */
    boolean exists() throws IOException {
        recover();
        return FILES.stream().anyMatch(name -> Files.exists(directory.resolve(name)));
    }

    /**
     * Loads and validates the identity. The record must be complete, and the root CA must have
     * the recorded fingerprint and end the chain. The chain must validate to that root, the node
     * certificate must carry the recorded node id, and the private key must belong to it. An
     * expired certificate loads, so that status can show it.
     *
     * @throws IdentityException naming the file at fault and what to do
     */
    NodeIdentity load() throws IOException {
        recover();
        IdentityRecord record = readRecord();
        X509Certificate root = readCertificates(ROOT_FILE, "the Weft root CA certificate").get(0);
        List<X509Certificate> chain = readCertificates(CHAIN_FILE, "the node certificate chain");
        PrivateKey key = readKey();

        requireRoot(record.rootFingerprint(), root, chain);
        try {
            Certificates.requireChainsToRoot(chain, root);
            Certificates.requireNodeId(chain.get(0), record.nodeId());
        } catch (PkiException e) {
            throw invalid(CHAIN_FILE, e.getMessage());
        }
        if (!Certificates.keyMatches(key, chain.get(0))) {
            throw invalid(KEY_FILE, "the private key does not belong to the node certificate in " + CHAIN_FILE);
        }
        return new NodeIdentity(record, key, chain);
    }

    /**
     * Reads only the identity record, for a node whose identity fails to load as a whole, such as
     * after its key file was lost.
     *
     * @return empty when no record file exists
     * @throws IdentityException when the record file cannot be read or is invalid
     */
    Optional<IdentityRecord> loadRecord() throws IOException {
        recover();
        if (!Files.exists(directory.resolve(RECORD_FILE))) {
            return Optional.empty();
        }
        return Optional.of(readRecord());
    }

    /** Writes the identity, replacing the stored one as one unit. */
    void save(NodeIdentity identity) throws IOException {
        OwnerOnlyFiles.createPrivateDirectory(directory);
        recover();
        writePending(KEY_FILE, Pem.toPem(identity.key()).getBytes(StandardCharsets.US_ASCII));
        writePending(CHAIN_FILE, Pem.toPem(identity.chain()).getBytes(StandardCharsets.US_ASCII));
        writePending(ROOT_FILE, Pem.toPem(identity.root()).getBytes(StandardCharsets.US_ASCII));
        writePending(RECORD_FILE, identity.record().toJson());

        OwnerOnlyFiles.write(directory.resolve(COMMIT_FILE), FILES.toString().getBytes(StandardCharsets.US_ASCII));
        commitPending();
    }

    /** Completes or discards a save that a crash interrupted. */
    private void recover() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        if (Files.exists(directory.resolve(COMMIT_FILE))) {
            commitPending();
            return;
        }
        for (String name : FILES) {
            Files.deleteIfExists(pending(name));
        }
    }

    private void commitPending() throws IOException {
        for (String name : FILES) {
            if (Files.exists(pending(name))) {
                Files.move(pending(name), directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        forceDirectory();
        Files.deleteIfExists(directory.resolve(COMMIT_FILE));
        forceDirectory();
    }

    private void writePending(String name, byte[] content) throws IOException {
        OwnerOnlyFiles.write(pending(name), content);
    }

    private Path pending(String name) {
        return directory.resolve(name + PENDING_SUFFIX);
    }

    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private IdentityRecord readRecord() throws IOException {
        byte[] json = read(RECORD_FILE);
        try {
            return IdentityRecord.parse(json);
        } catch (IllegalArgumentException e) {
            throw invalid(RECORD_FILE, e.getMessage());
        }
    }

    private List<X509Certificate> readCertificates(String name, String what) throws IOException {
        String pem = new String(read(name), StandardCharsets.US_ASCII);
        try {
            List<X509Certificate> certificates = Pem.readCertificates(pem);
            if (name.equals(ROOT_FILE) && certificates.size() != 1) {
                throw new PkiException("it must contain exactly one certificate, but contains "
                        + certificates.size());
            }
            return certificates;
        } catch (PkiException e) {
            throw invalid(name, "it does not contain " + what + ": " + e.getMessage());
        }
    }

    private PrivateKey readKey() throws IOException {
        String pem = new String(read(KEY_FILE), StandardCharsets.US_ASCII);
        try {
            return Pem.readPrivateKey(pem);
        } catch (PkiException e) {
            throw invalid(KEY_FILE, "it does not contain an unencrypted private key: " + e.getMessage());
        }
    }

    private void requireRoot(Fingerprint fingerprint, X509Certificate root, List<X509Certificate> chain) {
        if (!fingerprint.matches(root)) {
            throw invalid(ROOT_FILE, "its SHA-256 fingerprint is " + Fingerprint.of(root) + ", but " + RECORD_FILE
                    + " records " + fingerprint);
        }
        if (chain.size() < 2 || !chain.get(chain.size() - 1).equals(root)) {
            throw invalid(CHAIN_FILE, "it must list the node certificate, the issuing CA and last the root CA of "
                    + ROOT_FILE);
        }
    }

    private byte[] read(String name) throws IOException {
        Path file = directory.resolve(name);
        try {
            return OwnerOnlyFiles.read(file, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new IdentityException("The identity file " + file + " is missing. " + ENROLL_AGAIN, e);
        } catch (IOException e) {
            throw new IdentityException("The identity file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private IdentityException invalid(String name, String reason) {
        String sentence = reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
        return new IdentityException("The identity file " + directory.resolve(name) + " is invalid: " + sentence
                + ". " + ENROLL_AGAIN);
    }
}
