package io.weft.manager.apps.internal;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.apps.internal.SigningDtos.SigningCertificateDto;
import io.weft.manager.apps.internal.SigningDtos.SigningRevocationDto;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.pki.api.AppSignerReplacement;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.AuditStore;
import io.weft.pki.RevocationReason;

/**
 * The app repository's signing certificate: shows it, and revokes it when its key is
 * compromised. A revocation replaces the certificate with a new one from the CA and signs every
 * stored version again, with the same bytes and SHA-256 and a new signature. It audits the
 * change and recompiles the desired states of all nodes, which then carry the revoked serial
 * and the new signatures. Deployments keep working, and nodes reject anything signed by the
 * revoked certificate.
 *
 * <p>Only an operator who manages access on the whole fleet may revoke it, because the key
 * vouches for every app that any node runs.
 */
@Component(service = AppSigning.class)
public class AppSigning {

    static final String DEFAULT_REASON = "key_compromise";

    private static final Logger LOG = LoggerFactory.getLogger(AppSigning.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagerPki pki;
    private final AppRepository repository;
    private final DeploymentService deployments;
    private final AuditStore audit;

    @Activate
    public AppSigning(@Reference ManagerPki pki, @Reference AppRepository repository,
            @Reference DeploymentService deployments, @Reference AuditStore audit) {
        this.pki = Objects.requireNonNull(pki, "pki");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Returns the current signing certificate. */
    public SigningCertificateDto current(ApiCaller caller) {
        ApiCallers.checkReadsAnything(caller);
        return SigningCertificateDto.of(pki.appSigningCertificate());
    }

    /**
     * Revokes the signing certificate and signs every stored version with its replacement.
     *
     * @param reasonText a CRL reason such as {@code key_compromise}; null means {@value #DEFAULT_REASON}
     * @throws InvalidFieldException when the reason is not a CRL reason
     */
    public synchronized SigningRevocationDto revoke(ApiCaller caller, String reasonText) {
        ApiCallers.check(caller, Action.MANAGE_ACCESS, AccessTarget.fleet());
        String reason = reason(reasonText);

        AppSignerReplacement replacement = pki.replaceAppSigner(reason);
        List<String> failed = repository.signAllAgain();
        int signed = repository.versionCount() - failed.size();
        audit.append(new AuditEvent(caller.getName(), caller.remoteAddress(), "app-signing.revoke",
                "app-signing-certificate", auditState(replacement.revokedSerial().toString(16), reason),
                auditState(replacement.certificate(), signed, failed)));
        deployments.signaturesChanged();

        LOG.warn("App repository: {} revoked the signing certificate {} ({}); {} versions signed again with"
                + " certificate {}, {} failed", caller.getName(), replacement.revokedSerial().toString(16), reason,
                signed, replacement.certificate().getSerialNumber().toString(16), failed.size());
        return new SigningRevocationDto(replacement.revokedSerial().toString(16),
                SigningCertificateDto.of(replacement.certificate()), signed, failed);
    }

    static String reason(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_REASON;
        }
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.name().equalsIgnoreCase(text.strip())) {
                return reason.name().toLowerCase(Locale.ROOT);
            }
        }
        throw new InvalidFieldException("reason", "Unknown revocation reason '" + (text.length() > 40
                ? text.substring(0, 40) + "..." : text) + "'; use one of " + List.of(RevocationReason.values())
                .stream().map(reason -> reason.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static String auditState(String serial, String reason) {
        ObjectNode state = JSON.createObjectNode();
        state.put("serial", serial);
        state.put("revocationReason", reason);
        return state.toString();
    }

    private static String auditState(X509Certificate certificate, int signed, List<String> failed) {
        ObjectNode state = JSON.createObjectNode();
        state.put("serial", certificate.getSerialNumber().toString(16));
        state.put("signedAgain", signed);
        failed.forEach(state.putArray("failed")::add);
        return state.toString();
    }
}
