package io.weft.manager.api.internal.fleet;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.fleet.NodeFullName;
import io.weft.manager.access.Action;
import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.pki.api.IssuedNodeCertificate;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.StoredEnrollmentToken;
import io.weft.pki.CertificationRequests;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import io.weft.pki.RevocationReason;

/**
 * Enrollment of nodes: single-use tokens that operators create for a node record, the
 * enrollment itself, where a node trades a token and a certificate signing request for its
 * certificate, and revocation. Every change is audited in the transaction that makes it.
 */
@Component(service = EnrollmentService.class)
public class EnrollmentService {

    /** Token lifetime when the request names none. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(24);
    public static final Duration MIN_TOKEN_LIFETIME = Duration.ofMinutes(5);
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(30);

    /** A token created now, with the only copy of its text. */
    public record IssuedToken(String token, StoredEnrollmentToken stored, Node node) {
    }

    /** The result of an enrollment, which the node stores. */
    public record Enrolled(Node node, IssuedNodeCertificate certificate, String controlAddress) {
    }

    private final FleetStore fleet;
    private final ControlStore control;
    private final ManagerPki pki;
    private final AuditTrail audit;
    private final NodeService nodes;
    private final Clock clock;
    private final Logger log;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public EnrollmentService(@Reference FleetStore fleet, @Reference ControlStore control, @Reference ManagerPki pki,
            @Reference AuditTrail audit, @Reference NodeService nodes) {
        this(fleet, control, pki, audit, nodes, Clock.systemUTC(), LoggerFactory.getLogger(EnrollmentService.class));
    }

    /** Creates the service with the clock that tokens expire by and the logger that it writes to. */
    EnrollmentService(FleetStore fleet, ControlStore control, ManagerPki pki, AuditTrail audit, NodeService nodes,
            Clock clock, Logger log) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.control = Objects.requireNonNull(control, "control");
        this.pki = Objects.requireNonNull(pki, "pki");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Creates a single-use token for the node.
     *
     * @param lifetimeSeconds the token's lifetime, null for {@link #DEFAULT_TOKEN_LIFETIME}
     */
    public IssuedToken createToken(Caller caller, String fullName, Long lifetimeSeconds) {
        NodeFullName name = NodeService.checked(caller, Action.WRITE, fullName);
        Duration lifetime = lifetime(lifetimeSeconds);
        Instant now = clock.instant();

        return audit.atomically(() -> {
            Node node = nodes.find(name);
            requireNotRevoked(node);
            EnrollmentToken token = EnrollmentToken.generate(URI.create(pki.enrollmentUrl()), pki.controlAddress(),
                    pki.rootFingerprint(), node.id(), now.plus(lifetime), random);
            StoredEnrollmentToken stored = StoreErrors.call(() -> control.createEnrollmentToken(node.id(),
                    EnrollmentToken.hashSecret(token.secret()), caller.getName(), now, now.plus(lifetime)));
            audit.record(caller, "node.enrollment-token-create", node.fullName(), null, TokenView.of(stored));
            return new IssuedToken(token.encode(), stored, node);
        });
    }

    public List<StoredEnrollmentToken> listTokens(Caller caller, String fullName) {
        NodeFullName name = NodeService.checked(caller, Action.READ, fullName);
        Node node = nodes.find(name);
        return StoreErrors.call(() -> control.listEnrollmentTokens(node.id()));
    }

    /**
     * Enrolls the node that the token names: checks the token and the request, issues the
     * certificate, revokes the node's earlier ones, marks the token used and the node enrolled.
     * Logs one line for the enrollment or for its rejection, with the node, the token's id and
     * the client's address.
     *
     * @param remoteAddress the node's address, for the audit log and the log line
     */
    public Enrolled enroll(String tokenText, String csr, String remoteAddress) {
        EnrollmentAttempt attempt = new EnrollmentAttempt(log, remoteAddress);
        EnrollmentToken token = decode(tokenText, attempt);
        StoredEnrollmentToken stored = findToken(token, attempt);
        Instant now = clock.instant();
        if (!now.isBefore(stored.expiresAt())) {
            throw attempt.info(new ClientErrorException("the enrollment token " + stored.id() + " expired at "
                    + stored.expiresAt() + "; " + newTokenHint(attempt.nodeName()), Response.Status.GONE));
        }
        CertificationRequests.ValidatedRequest request = validate(csr, attempt);

        Enrolled enrolled = audit.atomically(() -> issue(stored, request, now, remoteAddress, attempt));

        log.info("Enrollment: node {} ({}) enrolled from {} with token {}; certificate {} valid until {}",
                enrolled.node().fullName(), enrolled.node().id(), remoteAddress, stored.id(),
                enrolled.certificate().certificate().getSerialNumber().toString(16),
                enrolled.certificate().certificate().getNotAfter().toInstant());
        return enrolled;
    }

    /** Revokes every certificate of the node and marks it revoked. */
    public Node revoke(Caller caller, String fullName, String reasonText) {
        NodeFullName name = NodeService.checked(caller, Action.WRITE, fullName);
        String reason = revocationReason(reasonText);

        Node revoked = audit.atomically(() -> {
            Node before = nodes.find(name);
            List<java.math.BigInteger> serials = pki.revokeNode(before.id(), reason);
            control.cancelEnrollmentTokens(before.id(), clock.instant());
            Node after = before.state() == NodeState.REVOKED ? before
                    : fleet.updateNodeState(before.id(), before.version(), NodeState.REVOKED);
            audit.record(caller, "node.revoke", after.fullName(), null,
                    serials.stream().map(serial -> serial.toString(16)).toList());
            return after;
        });
        log.info("Enrollment: {} revoked node {} ({})", caller.getName(), revoked.fullName(), revoked.id());
        return revoked;
    }

    /**
     * Revokes every certificate of a node whose record the caller deletes in the current
     * transaction. Other nodes would otherwise accept the deleted node's certificate on the mesh
     * until it expires, and rules for its domain would still match its name.
     *
     * @return the serials revoked now, empty when the node held no valid certificate
     */
    public List<java.math.BigInteger> revokeDeleted(Caller caller, Node node) {
        List<java.math.BigInteger> serials = pki.revokeNode(node.id(),
                RevocationReason.CESSATION_OF_OPERATION.name().toLowerCase(java.util.Locale.ROOT));
        if (!serials.isEmpty()) {
            audit.record(caller, "node.revoke", node.fullName(), null,
                    serials.stream().map(serial -> serial.toString(16)).toList());
            log.info("Enrollment: {} deleted node {} ({}); its certificates {} are revoked", caller.getName(),
                    node.fullName(), node.id(), serials.stream().map(serial -> serial.toString(16)).toList());
        }
        return serials;
    }

    /**
     * Issues the certificate in the enrollment's transaction, after checking the node again and
     * marking the token used, so that two requests with one token cannot both succeed. The node
     * is checked first, because revoking a node marks its unused tokens used, and the operator
     * needs to learn that the node is revoked, not that the token is used.
     */
    private Enrolled issue(StoredEnrollmentToken stored, CertificationRequests.ValidatedRequest request, Instant now,
            String remoteAddress, EnrollmentAttempt attempt) {
        Node before = fleet.findNode(stored.nodeId()).orElseThrow(() -> attempt.info(rejected("node "
                + stored.nodeId() + " of the enrollment token no longer exists")));
        attempt.node(before);
        if (before.state() == NodeState.REVOKED) {
            throw attempt.info(revokedError(before));
        }
        if (!control.useEnrollmentToken(stored.id(), now)) {
            throw attempt.info(new ClientErrorException("the enrollment token " + stored.id() + " was already used; "
                    + newTokenHint(attempt.nodeName()), Response.Status.CONFLICT));
        }
        IssuedNodeCertificate issued = pki.issueNodeCertificate(before.id(), request, true);
        Node after = before.state() == NodeState.ENROLLED ? before
                : fleet.updateNodeState(before.id(), before.version(), NodeState.ENROLLED);
        audit.record("node:" + after.fullName(), remoteAddress, "node.enroll", after.fullName(),
                null, new CertificateView(issued.certificate().getSerialNumber().toString(16),
                        issued.certificate().getNotAfter().toInstant().toString(), stored.id()));
        return new Enrolled(after, issued, pki.controlAddress());
    }

    /**
     * Finds the stored token whose secret and node id match the presented token. The node's
     * record is looked up for the log line, also for a token that is not found.
     */
    private StoredEnrollmentToken findToken(EnrollmentToken token, EnrollmentAttempt attempt) {
        attempt.claimedNodeId(token.nodeId());
        Optional<StoredEnrollmentToken> stored = StoreErrors.call(() -> control.findEnrollmentTokenBySecret(
                EnrollmentToken.hashSecret(token.secret())))
                .filter(candidate -> candidate.nodeId().equals(token.nodeId()));
        stored.ifPresent(attempt::token);
        StoreErrors.call(() -> fleet.findNode(token.nodeId())).ifPresent(attempt::node);
        if (stored.isEmpty()) {
            throw attempt.warn(rejected("unknown enrollment token for node " + token.nodeId()));
        }
        return stored.get();
    }

    /**
     * Rejects a revoked node when an operator requests a token for it: revocation is final, so
     * its record takes no token and no enrollment, and the node comes back only under a new record.
     */
    private void requireNotRevoked(Node node) {
        if (node.state() == NodeState.REVOKED) {
            log.info("Enrollment: rejected a token for revoked node {} ({})", node.fullName(), node.id());
            throw revokedError(node);
        }
    }

    private static ClientErrorException revokedError(Node node) {
        return new ClientErrorException("node '" + node.fullName() + "' is revoked, which is final: delete its"
                + " record, create a new one and enroll the node with a token of the new record",
                Response.Status.CONFLICT);
    }

    private static EnrollmentToken decode(String text, EnrollmentAttempt attempt) {
        if (text == null || text.isBlank()) {
            throw attempt.warn(new InvalidFieldException("token", "The enrollment token is missing: send the text"
                    + " that POST /api/v1/nodes/<node>.<domain>/enrollment-tokens returned."));
        }
        try {
            return EnrollmentToken.decode(text.strip());
        } catch (PkiException e) {
            throw attempt.warn(new InvalidFieldException("token", e.getMessage()));
        }
    }

    private static CertificationRequests.ValidatedRequest validate(String csr, EnrollmentAttempt attempt) {
        if (csr == null || csr.isBlank()) {
            throw attempt.warn(new InvalidFieldException("csr", "The certificate signing request is missing: send a"
                    + " PEM PKCS#10 request for the node's EC P-256 or Ed25519 key."));
        }
        try {
            return CertificationRequests.validate(csr.getBytes(StandardCharsets.US_ASCII), KeyType.NODE_KEYS);
        } catch (PkiException e) {
            throw attempt.warn(new InvalidFieldException("csr", e.getMessage()));
        }
    }

    private static NotAuthorizedException rejected(String reason) {
        return new NotAuthorizedException("the enrollment token is not valid: " + reason + "; "
                + newTokenHint(null), "Weft-Enrollment-Token");
    }

    /**
     * Returns how to get a new token for the node. A request whose token was not found learns no
     * node name, because the name is not the client's to know.
     *
     * @param fullName the node's full name, or null to leave a placeholder
     */
    private static String newTokenHint(String fullName) {
        String node = fullName == null ? "<node>.<domain>" : fullName;
        return "create a new one with POST /api/v1/nodes/" + node + "/enrollment-tokens or weft:enrollment-token "
                + node;
    }

    /** Returns the CRL reason code name, such as {@code key_compromise}; null is {@code unspecified}. */
    private static String revocationReason(String text) {
        if (text == null) {
            return "unspecified";
        }
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.name().equalsIgnoreCase(text.strip())) {
                return reason.name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        throw new InvalidFieldException("reason", "Unknown revocation reason '" + (text.length() > 40
                ? text.substring(0, 40) + "..." : text) + "': use one of " + java.util.Arrays.stream(
                RevocationReason.values()).map(reason -> reason.name().toLowerCase(java.util.Locale.ROOT)).toList()
                + ", or leave it out.");
    }

    private static Duration lifetime(Long seconds) {
        if (seconds == null) {
            return DEFAULT_TOKEN_LIFETIME;
        }
        Duration lifetime = Duration.ofSeconds(seconds);
        if (lifetime.compareTo(MIN_TOKEN_LIFETIME) < 0 || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw new InvalidFieldException("expiresInSeconds", "Invalid token lifetime of " + seconds + " seconds:"
                    + " give " + MIN_TOKEN_LIFETIME.toSeconds() + " to " + MAX_TOKEN_LIFETIME.toSeconds() + " seconds.");
        }
        return lifetime;
    }

    /** A token as the audit log shows it, without its secret. */
    public record TokenView(String id, String nodeId, String createdBy, String createdAt, String expiresAt,
            String usedAt) {

        public static TokenView of(StoredEnrollmentToken token) {
            return new TokenView(token.id(), token.nodeId(), token.createdBy(), token.createdAt().toString(),
                    token.expiresAt().toString(), token.usedAt().map(Instant::toString).orElse(null));
        }
    }

    /** The certificate of an enrollment as the audit log shows it. */
    public record CertificateView(String serial, String notAfter, String tokenId) {
    }
}
