package io.weft.systemtest.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * Runs Karaf shell commands over SSH with the Apache MINA SSHD client, as one user with
 * either a key or a password. Each command gets its own connection, because Karaf 4.4
 * closes the connection after an exec request. The server key must match etc/host.key.
 *
 * <p>Not thread-safe; close it to stop the client's threads.
 */
public final class KarafShell implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final String host;
    private final int port;
    private final String user;
    private final String method;
    private final Consumer<ClientSession> credentials;
    private final HostKeyFileVerifier hostKeyVerifier;
    private final SshClient client;

    private KarafShell(String host, int port, Path hostKeyFile, String user, String method,
            Consumer<ClientSession> credentials) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.method = method;
        this.credentials = credentials;
        this.hostKeyVerifier = new HostKeyFileVerifier(hostKeyFile);
        this.client = SshClient.setUpDefaultClient();
        // Set on the client, not the session: key exchange may start before connect() returns.
        client.setServerKeyVerifier(hostKeyVerifier);
        // Only the credentials given here are offered, never keys from ~/.ssh or an agent.
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.start();
    }

    /** Creates a shell on 127.0.0.1:port that logs in with public key authentication only. */
    public static KarafShell withKey(int port, Path hostKeyFile, String user, KeyPair key) {
        return withKey(LOOPBACK, port, hostKeyFile, user, key);
    }

    /** Creates a shell on host:port that logs in with public key authentication only. */
    public static KarafShell withKey(String host, int port, Path hostKeyFile, String user, KeyPair key) {
        return new KarafShell(host, port, hostKeyFile, user, "public key", session -> {
            session.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            session.addPublicKeyIdentity(key);
        });
    }

    /** Creates a shell on 127.0.0.1:port that logs in with password authentication only. */
    public static KarafShell withPassword(int port, Path hostKeyFile, String user, String password) {
        return withPassword(LOOPBACK, port, hostKeyFile, user, password);
    }

    /** Creates a shell on host:port that logs in with password authentication only. */
    public static KarafShell withPassword(String host, int port, Path hostKeyFile, String user, String password) {
        return new KarafShell(host, port, hostKeyFile, user, "password", session -> {
            session.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
            session.addPasswordIdentity(password);
        });
    }

    /**
     * Connects and authenticates, then disconnects.
     *
     * @throws ShellLoginRejectedException when the server rejects the credentials
     * @throws UncheckedIOException when the connection fails or the host key does not match
     */
    public void login() {
        try (ClientSession session = openSession()) {
            session.close(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Closing the SSH session on " + host + ":" + port + " failed", e);
        }
    }

    /**
     * Runs one command line and waits up to {@code COMMAND_TIMEOUT} (60 s) for it to finish.
     *
     * @throws ShellLoginRejectedException when the server rejects the credentials
     * @throws UncheckedIOException when the connection fails, the host key does not match or
     *         the command does not finish in time
     */
    public ShellResult execute(String command) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream error = new ByteArrayOutputStream();
        try (ClientSession session = openSession();
                ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(output);
            channel.setErr(error);
            channel.open().verify(COMMAND_TIMEOUT);

            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), COMMAND_TIMEOUT);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                throw new IOException("Command '" + command + "' did not finish within " + COMMAND_TIMEOUT.toSeconds()
                        + " s; output so far: " + output.toString(StandardCharsets.UTF_8));
            }

            Integer exitStatus = channel.getExitStatus();
            return ShellResult.of(command, exitStatus == null ? -1 : exitStatus,
                    output.toString(StandardCharsets.UTF_8), error.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Karaf shell command '" + command + "' over SSH on " + host + ":" + port
                    + " failed: " + e.getMessage(), e);
        }
    }

    private ClientSession openSession() throws IOException {
        hostKeyVerifier.clearRejection();
        ClientSession session = client.connect(user, host, port)
                .verify(CONNECT_TIMEOUT)
                .getSession();
        credentials.accept(session);

        try {
            session.auth().verify(AUTH_TIMEOUT);
            return session;
        } catch (IOException e) {
            session.close(true);
            throw describeLoginFailure(e);
        }
    }

    private RuntimeException describeLoginFailure(IOException failure) {
        String login = user + "@" + host + ":" + port + " with " + method;
        if (hostKeyVerifier.rejection() != null) {
            return new UncheckedIOException("SSH login as " + login + " failed: host key rejected. "
                    + hostKeyVerifier.rejection(), failure);
        }
        if (failure instanceof SshException ssh
                && ssh.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
            return new ShellLoginRejectedException("SSH login as " + login + " was rejected by the server: "
                    + failure.getMessage(), failure);
        }
        return new UncheckedIOException("SSH login as " + login + " failed: " + failure, failure);
    }

    @Override
    public void close() {
        client.stop();
    }
}
