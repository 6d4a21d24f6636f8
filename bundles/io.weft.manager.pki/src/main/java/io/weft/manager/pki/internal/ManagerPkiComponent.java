package io.weft.manager.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.pki.api.IssuedNodeCertificate;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.pki.api.AppSignerReplacement;
import io.weft.manager.pki.api.RevocationListener;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeCertificate;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.StoreTransactions;
import io.weft.pki.AppSigner;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificationRequests;
import io.weft.pki.DocumentSigner;
import io.weft.pki.Fingerprint;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyType;
import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.Pem;
import io.weft.pki.RevocationReason;
import io.weft.pki.RevokedCertificate;
import io.weft.pki.TlsContexts;
import io.weft.pki.TlsImplementation;

/**
 * The manager's certificate authority. At first start it creates a root and an issuing CA under
 * {@code data/weft/ca}, then keeps the manager's TLS certificate (HTTPS and control port), its
 * state-signing certificate and the app repository's signing certificate under
 * {@code data/weft/tls}, issuing them again when they are missing, name other hosts, or near
 * expiry. It configures pax-web's HTTPS listener with the TLS certificate, and publishes the revocation list as {@code data/weft/ca/crl.pem}, renewed
 * every {@value #CRL_REFRESH_HOURS} hours and after every revocation.
 */
@Component(service = ManagerPki.class, immediate = true, configurationPid = ManagerPkiComponent.PID)
@Designate(ocd = PkiConfig.class)
public class ManagerPkiComponent implements ManagerPki {

    static final String PID = "io.weft.manager.pki";
    static final String KARAF_DATA = "karaf.data";
    static final long CRL_REFRESH_HOURS = 12;
    static final Duration CRL_VALIDITY = Duration.ofHours(2 * CRL_REFRESH_HOURS);

    private static final Logger LOG = LoggerFactory.getLogger(ManagerPkiComponent.class);

    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final ControlStore controlStore;
    private final FleetStore fleetStore;
    private final StoreTransactions transactions;
    private final BundleContext context;
    private final PkiConfig config;
    private final Path caFolder;
    private final CertificateAuthority ca;
    private final ServerCredentials server;
    private final ServerCredentials stateSigner;
    private final Path tlsFolder;
    private volatile ServerCredentials appSigner;
    private final SSLContext controlContext;
    private final ScheduledExecutorService crlRefresher;
    private volatile Set<BigInteger> revokedSerials = Set.of();

    @Activate
    public ManagerPkiComponent(BundleContext context, PkiConfig config, @Reference ControlStore controlStore,
            @Reference FleetStore fleetStore, @Reference StoreTransactions transactions,
            @Reference ConfigurationAdmin configurationAdmin) throws IOException {
        this.context = context;
        this.config = config;
        this.controlStore = Objects.requireNonNull(controlStore, "controlStore");
        this.fleetStore = Objects.requireNonNull(fleetStore, "fleetStore");
        this.transactions = Objects.requireNonNull(transactions, "transactions");

        Path data = Path.of(Objects.requireNonNull(context.getProperty(KARAF_DATA),
                "The framework property karaf.data is not set; start the manager through Karaf's scripts"));
        this.caFolder = data.resolve(ManagerTls.CA_FOLDER);
        ManagerTls tls = ManagerTls.prepare(data, names(config), configurationAdmin, clock, random);
        this.ca = tls.ca();
        this.server = tls.server();
        this.stateSigner = tls.stateSigner();
        this.tlsFolder = data.resolve(ManagerTls.TLS_FOLDER);
        this.appSigner = currentAppSigner(tls.appSigner());

        // Bouncy Castle's JSSE: after a manager restart the whole fleet reconnects at once, and
        // its handshake costs the manager about a third of the JDK's CPU.
        this.controlContext = TlsContexts.mutualTlsContext(server.key(), server.chain(), ca.rootCertificate(),
                () -> revokedSerials, clock, random, TlsImplementation.BOUNCY_CASTLE);
        publishRevocationList();
        this.crlRefresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weft-crl-refresh");
            thread.setDaemon(true);
            return thread;
        });
        crlRefresher.scheduleWithFixedDelay(this::refreshRevocationList, CRL_REFRESH_HOURS, CRL_REFRESH_HOURS,
                TimeUnit.HOURS);

        LOG.info("Manager PKI: root CA {} with fingerprint sha256:{}; TLS certificate for {} valid until {}",
                ca.rootCertificate().getSubjectX500Principal(), ca.rootFingerprint(),
                String.join(", ", config.serverDnsNames()), server.certificate().getNotAfter().toInstant());
    }

    @Deactivate
    void deactivate() {
        crlRefresher.shutdownNow();
    }


    /** Returns the names of the manager's certificates from its configuration. */
    static ManagerTls.Names names(PkiConfig config) {
        return new ManagerTls.Names(config.caName(), items(config.serverDnsNames()),
                ServerCredentials.ipAddresses(items(config.serverIpAddresses()).toArray(new String[0])),
                config.httpsPort());
    }

    /** Returns the values, each split at commas, because a .cfg file gives a list as one text. */
    private static List<String> items(String[] values) {
        return Arrays.stream(values).flatMap(value -> Arrays.stream(value.split(","))).map(String::strip)
                .filter(item -> !item.isEmpty()).toList();
    }

    @Override
    public X509Certificate rootCertificate() {
        return ca.rootCertificate();
    }

    @Override
    public Fingerprint rootFingerprint() {
        return ca.rootFingerprint();
    }

    @Override
    public SSLContext controlServerContext() {
        return controlContext;
    }

    @Override
    public String controlAddress() {
        return config.controlAddress();
    }

    @Override
    public String enrollmentUrl() {
        return config.enrollmentUrl();
    }

    @Override
    public byte[] signState(byte[] payload) {
        return new DocumentSigner(stateSigner.key(), stateSigner.chain(), random).sign(payload);
    }

    @Override
    public byte[] signApp(byte[] bundle) {
        return new AppSigner(appSigner.key(), appSigner.chain(), random).sign(bundle);
    }

    @Override
    public X509Certificate appSigningCertificate() {
        return appSigner.certificate();
    }

    @Override
    public synchronized AppSignerReplacement replaceAppSigner(String reason) {
        ServerCredentials old = appSigner;
        ServerCredentials replacement = issueAppSigner();
        List<NodeCertificate> revoked = transactions.inTransaction(() -> {
            List<NodeCertificate> revokedNow = controlStore.revokeCertificates(ManagerPki.APP_SIGNER_OWNER,
                    clock.instant(), reason);
            recordAppSigner(replacement);
            return revokedNow;
        });
        appSigner = replacement;
        LOG.warn("Manager PKI: revoked app-signing certificate {} ({}); the repository signs with certificate {}"
                + " from now on", serial(old.certificate().getSerialNumber()), reason,
                serial(replacement.certificate().getSerialNumber()));
        afterRevocation(ManagerPki.APP_SIGNER_OWNER, revoked);
        return new AppSignerReplacement(old.certificate().getSerialNumber(), replacement.certificate());
    }

    /**
     * Returns the app signer to use at activation, recorded in the store: the stored one, or a
     * new one when the stored one was revoked, for example when the manager stopped between the
     * revocation and writing the new key.
     */
    private ServerCredentials currentAppSigner(ServerCredentials stored) {
        Optional<NodeCertificate> recorded = controlStore.findCertificate(serial(
                stored.certificate().getSerialNumber()));
        if (recorded.isPresent() && recorded.get().revokedAt().isPresent()) {
            LOG.warn("Manager PKI: the stored app-signing certificate {} is revoked, so a new one is issued",
                    recorded.get().serial());
            ServerCredentials replacement = issueAppSigner();
            transactions.inTransaction(() -> {
                recordAppSigner(replacement);
                return null;
            });
            return replacement;
        }
        if (recorded.isEmpty()) {
            transactions.inTransaction(() -> {
                recordAppSigner(stored);
                return null;
            });
        }
        return stored;
    }

    private ServerCredentials issueAppSigner() {
        try {
            return ServerCredentials.issue(tlsFolder, ManagerTls.APP_SIGNING, ManagerTls::appSignerRequest, ca, random);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the new app-signing key to " + tlsFolder + " failed", e);
        }
    }

    private void recordAppSigner(ServerCredentials signer) {
        X509Certificate certificate = signer.certificate();
        controlStore.recordCertificate(NodeCertificate.issued(serial(certificate.getSerialNumber()),
                ManagerPki.APP_SIGNER_OWNER, certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), clock.instant()));
    }

    @Override
    public IssuedNodeCertificate issueNodeCertificate(String nodeId, byte[] csr, boolean revokePrevious) {
        return issueNodeCertificate(nodeId, CertificationRequests.validate(csr, KeyType.NODE_KEYS), revokePrevious);
    }

    @Override
    public IssuedNodeCertificate issueNodeCertificate(String nodeId, CertificationRequests.ValidatedRequest request,
            boolean revokePrevious) {
        Node node = fleetStore.findNode(nodeId).orElseThrow(() -> new NotFoundException("node", nodeId));
        X509Certificate certificate = ca.issue(IssueRequest.node(request.publicKey(), node.name(), node.domain(),
                node.id()).withLifetime(Duration.ofDays(config.nodeCertificateDays())));

        List<NodeCertificate> revoked = transactions.inTransaction(() -> {
            List<NodeCertificate> superseded = revokePrevious
                    ? controlStore.revokeCertificates(nodeId, clock.instant(), "superseded")
                    : List.of();
            controlStore.recordCertificate(NodeCertificate.issued(serial(certificate.getSerialNumber()), nodeId,
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), clock.instant()));
            return superseded;
        });
        LOG.info("Manager PKI: issued certificate {} to node {} ({}), valid until {}",
                serial(certificate.getSerialNumber()), node.fullName(), nodeId, certificate.getNotAfter().toInstant());
        if (!revoked.isEmpty()) {
            afterRevocation(nodeId, revoked);
        }
        return new IssuedNodeCertificate(ca.chainFor(certificate));
    }

    @Override
    public List<BigInteger> revokeNode(String nodeId, String reason) {
        List<NodeCertificate> revoked = controlStore.revokeCertificates(nodeId, clock.instant(), reason);
        if (!revoked.isEmpty()) {
            afterRevocation(nodeId, revoked);
        }
        return revoked.stream().map(certificate -> new BigInteger(certificate.serial(), 16)).toList();
    }

    @Override
    public Set<BigInteger> revokedSerials() {
        return revokedSerials;
    }

    @Override
    public String revocationListPem() throws IOException {
        return Files.readString(caFolder.resolve("crl.pem"), StandardCharsets.US_ASCII);
    }

    private void afterRevocation(String nodeId, List<NodeCertificate> revoked) {
        publishRevocationList();
        Set<BigInteger> serials = revoked.stream().map(certificate -> new BigInteger(certificate.serial(), 16))
                .collect(Collectors.toUnmodifiableSet());
        LOG.info("Manager PKI: revoked certificates {} of node {}", revoked.stream().map(NodeCertificate::serial)
                .toList(), nodeId);
        for (ServiceReference<RevocationListener> reference : listenerReferences()) {
            RevocationListener listener = context.getService(reference);
            if (listener == null) {
                continue;
            }
            try {
                listener.revoked(nodeId, serials);
            } catch (RuntimeException e) {
                LOG.error("Manager PKI: revocation listener {} failed for node {}", listener.getClass().getName(),
                        nodeId, e);
            } finally {
                context.ungetService(reference);
            }
        }
    }

    /**
     * Returns the registered listeners. They are looked up at each revocation instead of bound
     * by a reference, because the control plane both uses this service and listens to it. A
     * reference each way makes a cycle that SCR may resolve with an unbound listener.
     */
    private Collection<ServiceReference<RevocationListener>> listenerReferences() {
        try {
            return context.getServiceReferences(RevocationListener.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("A null filter cannot be invalid", e);
        } catch (IllegalStateException e) {
            LOG.warn("Manager PKI: the bundle stopped, so no revocation listener is called: {}", e.getMessage());
            return List.of();
        }
    }

    private void refreshRevocationList() {
        try {
            publishRevocationList();
        } catch (RuntimeException e) {
            LOG.error("Manager PKI: failed to renew the revocation list in {}; nodes keep the serials of their "
                    + "desired state, and the next attempt is in {} hours", caFolder, CRL_REFRESH_HOURS, e);
        }
    }

    /** Reads the revoked certificates, signs a new CRL and writes it atomically. */
    private synchronized void publishRevocationList() {
        Instant now = clock.instant();
        List<NodeCertificate> revoked = controlStore.listRevokedCertificates(now);
        revokedSerials = revoked.stream().map(certificate -> new BigInteger(certificate.serial(), 16))
                .collect(Collectors.toUnmodifiableSet());

        List<RevokedCertificate> entries = revoked.stream().map(certificate -> new RevokedCertificate(
                new BigInteger(certificate.serial(), 16), certificate.revokedAt().orElseThrow(),
                reason(certificate.revocationReason().orElse("unspecified")))).toList();
        X509CRL crl = ca.createCrl(entries, BigInteger.valueOf(controlStore.nextValue(ControlStore.CRL_NUMBER)),
                CRL_VALIDITY);
        try {
            OwnerOnlyFiles.write(caFolder.resolve("crl.pem"), Pem.toPem(crl).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the revocation list " + caFolder.resolve("crl.pem"), e);
        }
    }

    private static RevocationReason reason(String code) {
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.name().replace("_", "").equalsIgnoreCase(code.replace("_", "").replace("-", ""))) {
                return reason;
            }
        }
        return RevocationReason.UNSPECIFIED;
    }

    static String serial(BigInteger serial) {
        return serial.toString(16);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
