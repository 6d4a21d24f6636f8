package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Accepts only the server key whose private key is in the distribution's etc/host.key.
 *
 * <p>Karaf 4.4 writes that file (PEM, RSA by default) when the first SSH client connects, before
 * it sends its key, so the file is read at each verification rather than once. The reason
 * of the last rejection is kept for the error message, so one instance serves one session
 * at a time.
 */
final class HostKeyFileVerifier implements ServerKeyVerifier {

    private final Path hostKeyFile;
    private volatile String rejection;

    HostKeyFileVerifier(Path hostKeyFile) {
        this.hostKeyFile = hostKeyFile;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        PublicKey expected;
        try {
            expected = readPublicKey(session);
        } catch (NoSuchFileException e) {
            rejection = hostKeyFile + " does not exist, so the server key " + KeyUtils.getFingerPrint(serverKey)
                    + " cannot be verified; Karaf writes that file on the first SSH connection";
            return false;
        } catch (IOException | GeneralSecurityException e) {
            rejection = "Failed to read the host key from " + hostKeyFile + ": " + e;
            return false;
        }

        if (KeyUtils.compareKeys(expected, serverKey)) {
            return true;
        }
        rejection = "The server at " + remoteAddress + " presented key " + KeyUtils.getFingerPrint(serverKey)
                + " but " + hostKeyFile + " contains " + KeyUtils.getFingerPrint(expected)
                + "; another process may be listening on that port";
        return false;
    }

    /** Returns the reason of the last rejection, or null when no key was rejected since {@link #clearRejection()}. */
    String rejection() {
        return rejection;
    }

    void clearRejection() {
        rejection = null;
    }

    private PublicKey readPublicKey(ClientSession session) throws IOException, GeneralSecurityException {
        try (InputStream input = Files.newInputStream(hostKeyFile)) {
            Iterable<KeyPair> keyPairs = SecurityUtils.loadKeyPairIdentities(
                    session, NamedResource.ofName(hostKeyFile.toString()), input, null);
            Iterator<KeyPair> iterator = keyPairs == null ? null : keyPairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new GeneralSecurityException(hostKeyFile + " contains no key pair in a format that "
                        + "Apache MINA SSHD reads (PEM or OpenSSH)");
            }
            return iterator.next().getPublic();
        }
    }
}
