package io.weft.node.agent.internal;

import io.weft.control.ExponentialBackoff;
import io.weft.control.RenewRequest;
import io.weft.control.RenewResponse;
import io.weft.pki.CertificationRequests;
import io.weft.pki.KeyPairs;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node certificate over the control connection at two thirds of its lifetime,
 * with a CSR for a new key pair each time. Until a new certificate arrives it retries with
 * backoff ({@link #RETRY_BASE} to {@link #RETRY_CAP}). It warns when less than a tenth of the
 * lifetime is left, and once the certificate expired it logs how to enroll again.
 *
 * <p>Deadlines come from {@link RenewalSchedule}, so they count elapsed time. Every method
 * runs on the agent's single thread.
 */
final class CertificateRenewal {

    static final Duration RETRY_BASE = Duration.ofSeconds(30);
    static final Duration RETRY_CAP = Duration.ofMinutes(30);

    private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewal.class);

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final SecureRandom random;
    private final Predicate<RenewRequest> sender;
    private final ExponentialBackoff retries;

    private NodeIdentity identity;
    private RenewalSchedule schedule;
    private KeyPair pendingKey;
    private ScheduledFuture<?> timer;
    private boolean warned;

    /**
     * @param sender sends a request to the manager and returns false when the node is not
     *     connected
     */
    CertificateRenewal(ScheduledExecutorService executor, Clock clock, LongSupplier nanoClock, SecureRandom random,
            Predicate<RenewRequest> sender) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.retries = new ExponentialBackoff(RETRY_BASE, RETRY_CAP, random);
    }

    /** Schedules the renewal of {@code current}, replacing the schedule of an earlier certificate. */
    void start(NodeIdentity current) {
        stop();
        identity = Objects.requireNonNull(current, "current");
        X509Certificate certificate = current.certificate();
        long now = nanoClock.getAsLong();
        schedule = RenewalSchedule.of(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                clock.instant(), now);
        pendingKey = null;
        warned = false;
        retries.reset();
        LOG.info("Renewal: certificate serial {} of node '{}' expires at {}; renewal starts in {} min",
                current.serialHex(), current.record().nodeId(), current.notAfter(),
                schedule.untilRenewal(now).toMinutes());
        check();
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * Sends a request at once when renewal is due, as after a reconnect. A request sent on an
     * earlier session gets no response on this one, so its key is replaced.
     */
    void connected() {
        if (schedule != null && schedule.phase(nanoClock.getAsLong()) != RenewalSchedule.Phase.VALID) {
            check();
        }
    }

    /** Returns the schedule of the current certificate, or null before {@link #start}. */
    RenewalSchedule schedule() {
        return schedule;
    }

    /**
     * Verifies a RENEW_RESPONSE: the chain validates to the node's root CA, certifies the key of
     * the outstanding request and carries the node id.
     *
     * @return the renewed identity to store, or empty when the response is an error or invalid
     */
    Optional<NodeIdentity> accept(RenewResponse response) {
        if (response.error() != null) {
            LOG.warn("Renewal: the manager issued no certificate for node '{}': {}; retrying with backoff",
                    identity.record().nodeId(), response.error());
            return Optional.empty();
        }
        if (pendingKey == null) {
            LOG.warn("Renewal: ignored a RENEW_RESPONSE for node '{}' because no renewal is outstanding",
                    identity.record().nodeId());
            return Optional.empty();
        }
        try {
            List<X509Certificate> chain = Pem.readCertificates(response.chainPem());
            Certificates.requireIssuedChain(chain, identity.record().rootFingerprint(), pendingKey.getPublic(),
                    identity.record().nodeId(), clock);
            return Optional.of(identity.withKeyAndChain(pendingKey.getPrivate(), chain));
        } catch (PkiException e) {
            LOG.warn("Renewal: rejected the certificate chain for node '{}': {}; retrying with backoff",
                    identity.record().nodeId(), e.getMessage());
            return Optional.empty();
        }
    }

    private void check() {
        long now = nanoClock.getAsLong();
        RenewalSchedule.Phase phase = schedule.phase(now);
        switch (phase) {
            case VALID -> schedule(schedule.untilRenewal(now));
            case RENEW -> {
                request();
                schedule(min(retries.nextDelay(), schedule.untilWarning(now)));
            }
            case WARN -> {
                warnOnce(now);
                request();
                schedule(min(retries.nextDelay(), schedule.untilExpiry(now)));
            }
            case EXPIRED -> LOG.error("Renewal: certificate serial {} of node '{}' expired at {}, so the manager"
                    + " rejects the node. Create an enrollment token for node '{}' on the manager and run"
                    + " 'weft:enroll <token>'. The node keeps its stored desired state.", identity.serialHex(),
                    identity.record().nodeId(), identity.notAfter(), identity.record().nodeId());
            default -> throw new IllegalStateException("Unknown phase " + phase);
        }
    }

    private void request() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(random);
        String csr = CertificationRequests.create(keys, identity.record().nodeId(), random);
        if (sender.test(new RenewRequest(csr))) {
            pendingKey = keys;
            LOG.info("Renewal: requested a new certificate for node '{}'", identity.record().nodeId());
        } else {
            LOG.debug("Renewal: not connected to the manager; the renewal is sent after the next connect");
        }
    }

    private void warnOnce(long now) {
        if (!warned) {
            warned = true;
            LOG.warn("Renewal: certificate serial {} of node '{}' expires in {} min, and less than a tenth of its"
                    + " lifetime is left; check the connection to the manager", identity.serialHex(),
                    identity.record().nodeId(), schedule.untilExpiry(now).toMinutes());
        }
    }

    private void schedule(Duration delay) {
        stop();
        timer = executor.schedule(this::check, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
