package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.KeyPairs;
import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

    private static TestPki pki;
    private static TestPki otherPki;

    @TempDir
    Path temp;

    private Path directory;
    private IdentityStore store;

    @BeforeAll
    static void createCas(@TempDir Path caDirectory) throws IOException {
        pki = TestPki.create(caDirectory.resolve("ca"));
        otherPki = TestPki.create(caDirectory.resolve("other-ca"));
    }

    @BeforeEach
    void createStore() {
        directory = temp.resolve("weft").resolve("identity");
        store = new IdentityStore(directory);
    }

    @Test
    void roundTripKeepsEveryPart() throws IOException {
        NodeIdentity identity = pki.nodeIdentity("127.0.0.1:7443");

        store.save(identity);
        NodeIdentity loaded = store.load();

        assertThat(loaded.record()).isEqualTo(identity.record());
        assertThat(loaded.chain()).isEqualTo(identity.chain());
        assertThat(loaded.key().getEncoded()).isEqualTo(identity.key().getEncoded());
        assertThat(store.exists()).isTrue();
    }

    @Test
    void filesAreOwnerOnly() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        for (String name : new String[] {IdentityStore.KEY_FILE, IdentityStore.CHAIN_FILE, IdentityStore.ROOT_FILE,
                IdentityStore.RECORD_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
        try (var files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(
                    IdentityStore.KEY_FILE, IdentityStore.CHAIN_FILE, IdentityStore.ROOT_FILE,
                    IdentityStore.RECORD_FILE);
        }
    }

    @Test
    void emptyDirectoryHasNoIdentity() throws IOException {
        assertThat(store.exists()).isFalse();
    }

    @Test
    void missingKeyFileIsNamed() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));
        Files.delete(directory.resolve(IdentityStore.KEY_FILE));

        assertThat(store.exists()).isTrue();
        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(directory.resolve(IdentityStore.KEY_FILE) + " is missing")
                .hasMessageContaining("weft:enroll <token>");
    }

    @Test
    void truncatedKeyFileIsRejected() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));
        Path key = directory.resolve(IdentityStore.KEY_FILE);
        String pem = Files.readString(key);
        OwnerOnlyFiles.write(key, pem.substring(0, pem.length() / 2).getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageStartingWith("The identity file " + key + " is invalid: it does not contain an unencrypted"
                        + " private key");
    }

    @Test
    void keyOfAnotherCertificateIsRejected() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));
        KeyPair other = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.KEY_FILE),
                Pem.toPem(other.getPrivate()).getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(IdentityStore.KEY_FILE + " is invalid: the private key does not belong to the"
                        + " node certificate");
    }

    @Test
    void rootOfAnotherCaIsRejected() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.ROOT_FILE),
                Pem.toPem(otherPki.ca.rootCertificate()).getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(IdentityStore.ROOT_FILE + " is invalid: its SHA-256 fingerprint is "
                        + otherPki.ca.rootFingerprint());
    }

    @Test
    void chainFromAnotherCaIsRejected() throws IOException {
        NodeIdentity identity = pki.nodeIdentity("127.0.0.1:7443");
        store.save(identity);
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        var foreignChain = new java.util.ArrayList<>(otherPki.nodeChain(keys, TestPki.NODE_ID, Duration.ofDays(1)));
        foreignChain.set(foreignChain.size() - 1, pki.ca.rootCertificate());
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.CHAIN_FILE),
                Pem.toPem(foreignChain).getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(IdentityStore.CHAIN_FILE + " is invalid");
    }

    @Test
    void malformedRecordIsRejected() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.RECORD_FILE),
                "{\"nodeId\": \"node-7f3a\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(IdentityStore.RECORD_FILE + " is invalid: its member nodeName is missing");
    }

    @Test
    void readableByOthersIsRejected() throws IOException {
        store.save(pki.nodeIdentity("127.0.0.1:7443"));
        Path key = directory.resolve(IdentityStore.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(store::load)
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("chmod 600 " + key);
    }

    @Test
    void expiredCertificateStillLoads() throws IOException {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        NodeIdentity fresh = pki.nodeIdentity("127.0.0.1:7443");
        // A lifetime of 1 ms ends before the test reads it; notBefore lies 5 minutes back.
        NodeIdentity expired = fresh.withKeyAndChain(keys.getPrivate(),
                pki.nodeChain(keys, TestPki.NODE_ID, Duration.ofMillis(1)));

        store.save(expired);
        NodeIdentity loaded = store.load();

        assertThat(loaded.notAfter()).isBefore(java.time.Instant.now());
        assertThat(loaded.serialHex()).isEqualTo(expired.serialHex());
    }

    @Test
    void saveReplacesKeyAndChain() throws IOException {
        NodeIdentity first = pki.nodeIdentity("127.0.0.1:7443");
        NodeIdentity second = pki.nodeIdentity("127.0.0.1:7443");

        store.save(first);
        store.save(second);

        assertThat(store.load().serialHex()).isEqualTo(second.serialHex());
    }

    @Test
    void interruptedSaveWithoutCommitKeepsOldIdentity() throws IOException {
        NodeIdentity old = pki.nodeIdentity("127.0.0.1:7443");
        NodeIdentity next = pki.nodeIdentity("127.0.0.1:7443");
        store.save(old);
        writePending(next);

        NodeIdentity loaded = store.load();

        assertThat(loaded.serialHex()).isEqualTo(old.serialHex());
        assertThat(directory.resolve(IdentityStore.KEY_FILE + IdentityStore.PENDING_SUFFIX)).doesNotExist();
    }

    @Test
    void interruptedSaveAfterCommitCompletes() throws IOException {
        NodeIdentity old = pki.nodeIdentity("127.0.0.1:7443");
        NodeIdentity next = pki.nodeIdentity("127.0.0.1:7443");
        store.save(old);
        writePending(next);
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.COMMIT_FILE), new byte[0]);
        // The crash came after the key was renamed, before the chain was.
        Files.move(directory.resolve(IdentityStore.KEY_FILE + IdentityStore.PENDING_SUFFIX),
                directory.resolve(IdentityStore.KEY_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        NodeIdentity loaded = store.load();

        assertThat(loaded.serialHex()).isEqualTo(next.serialHex());
        assertThat(directory.resolve(IdentityStore.COMMIT_FILE)).doesNotExist();
    }

    /** Writes the files of {@code identity} under their pending names, as a save does before its commit marker. */
    private void writePending(NodeIdentity identity) throws IOException {
        String suffix = IdentityStore.PENDING_SUFFIX;
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.KEY_FILE + suffix),
                Pem.toPem(identity.key()).getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.CHAIN_FILE + suffix),
                Pem.toPem(identity.chain()).getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.ROOT_FILE + suffix),
                Pem.toPem(identity.root()).getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(directory.resolve(IdentityStore.RECORD_FILE + suffix), identity.record().toJson());
    }
}
