package io.weft.node.agent.internal;

import io.weft.control.ExponentialBackoff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-boot enrollment for images: a node without identity enrolls with the token in a file,
 * and deletes the file once it succeeded. A failure that the same token may overcome later,
 * such as an unreachable manager, is retried with backoff ({@link #RETRY_BASE} to
 * {@link #RETRY_CAP}) until the token expires. Each distinct failure is logged once.
 *
 * <p>Every method runs on the agent's single thread.
 */
final class TokenFileEnrollment {

    static final Duration RETRY_BASE = Duration.ofSeconds(5);
    static final Duration RETRY_CAP = Duration.ofMinutes(5);
    /** Maximum size of the token file; a token has at most 2,048 characters. */
    static final int MAX_FILE_BYTES = 8 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TokenFileEnrollment.class);

    /** Stores an enrolled identity and starts the node with it. */
    interface Installer {
        void install(NodeIdentity identity) throws IOException;
    }

    private final Path tokenFile;
    private final ScheduledExecutorService executor;
    private final Enroller enroller;
    private final Installer installer;
    private final ExponentialBackoff backoff;
    private ScheduledFuture<?> retry;
    private String lastLogged;

    TokenFileEnrollment(Path tokenFile, ScheduledExecutorService executor, Enroller enroller, Installer installer,
            SecureRandom random) {
        this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.enroller = Objects.requireNonNull(enroller, "enroller");
        this.installer = Objects.requireNonNull(installer, "installer");
        this.backoff = new ExponentialBackoff(RETRY_BASE, RETRY_CAP, random);
    }

    Path tokenFile() {
        return tokenFile;
    }

    /** Enrolls with the token file if it exists, and otherwise logs how to enroll. */
    void start() {
        if (!Files.isRegularFile(tokenFile)) {
            LOG.info("Enrollment: the node is not enrolled. Run 'weft:enroll <token>', or put the token in {} and"
                    + " restart", tokenFile);
            return;
        }
        attempt();
    }

    /** Stops retrying, as after an enrollment with {@code weft:enroll}. */
    void cancel() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void attempt() {
        retry = null;
        String token;
        try {
            token = readToken();
        } catch (IOException e) {
            LOG.error("Enrollment: reading the token file {} failed: {}", tokenFile, e.getMessage());
            return;
        }
        try {
            NodeIdentity identity = enroller.enroll(token);
            installer.install(identity);
        } catch (EnrollmentException e) {
            failed(e);
            return;
        } catch (IOException e) {
            LOG.error("Enrollment: storing the identity enrolled with the token file {} failed: {}", tokenFile,
                    e.getMessage());
            return;
        }
        deleteTokenFile();
    }

    private String readToken() throws IOException {
        if (Files.size(tokenFile) > MAX_FILE_BYTES) {
            throw new IOException("the file has more than the maximum of " + MAX_FILE_BYTES
                    + " bytes for a token file. Put only the token in it");
        }
        return Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
    }

    private void failed(EnrollmentException e) {
        if (!e.isRetryable()) {
            LOG.error("Enrollment: the token file {} cannot be used: {}", tokenFile, e.getMessage());
            return;
        }
        Duration delay = backoff.nextDelay();
        if (!e.getMessage().equals(lastLogged)) {
            lastLogged = e.getMessage();
            LOG.warn("Enrollment: enrolling with the token file {} failed; retrying with backoff while the token is"
                    + " valid: {}", tokenFile, e.getMessage());
        } else {
            LOG.debug("Enrollment: retry {} with the token file {} failed: {}", backoff.failures(), tokenFile,
                    e.getMessage());
        }
        retry = executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deleteTokenFile() {
        try {
            Files.deleteIfExists(tokenFile);
            LOG.info("Enrollment: enrolled with the token file {}, which is now deleted", tokenFile);
        } catch (IOException e) {
            LOG.warn("Enrollment: enrolled, but deleting the used token file {} failed: {}. Delete it by hand.",
                    tokenFile, e.getMessage());
        }
    }
}
