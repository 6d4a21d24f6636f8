package io.weft.manager.pki.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.IssueRequest;
import io.weft.pki.OwnerOnlyFiles;

/**
 * The manager's CA and its own credentials under {@code data/weft}: opens the CA (creating it
 * at the first start), loads or issues the TLS, state-signing and app-signing certificates, and points
 * pax-web's HTTPS listener at the TLS certificate. Running it twice changes nothing, so the
 * early {@link TlsBootstrap} and the PKI component can both call it.
 *
 * @param ca          the certificate authority
 * @param server      key and chain for HTTPS and the control port
 * @param stateSigner key and chain that sign desired states
 * @param appSigner   key and chain of the app repository, which sign app bundles
 */
record ManagerTls(CertificateAuthority ca, ServerCredentials server, ServerCredentials stateSigner,
        ServerCredentials appSigner) {

    static final String CA_FOLDER = "weft/ca";
    static final String TLS_FOLDER = "weft/tls";
    static final String SERVER = "manager-tls";
    static final String STATE_SIGNING = "state-signing";
    static final String APP_SIGNING = "app-signing";
    static final Duration SERVER_LIFETIME = Duration.ofDays(365);

    private static final Logger LOG = LoggerFactory.getLogger(ManagerTls.class);

    /** Names and port of the manager's own certificates. */
    record Names(String caName, List<String> dnsNames, List<InetAddress> ipAddresses, int httpsPort) {
    }

    static ManagerTls prepare(Path data, Names names, ConfigurationAdmin configurationAdmin, Clock clock,
            SecureRandom random) throws IOException {
        CertificateAuthority ca = openCa(data.resolve(CA_FOLDER), names.caName(), clock, random);

        Path tlsFolder = data.resolve(TLS_FOLDER);
        OwnerOnlyFiles.createPrivateDirectory(tlsFolder);
        ServerCredentials.Loaded tls = ServerCredentials.loadOrIssue(tlsFolder, SERVER,
                key -> serverRequest(key, names), ca, clock, random);
        ServerCredentials stateSigner = ServerCredentials.loadOrIssue(tlsFolder, STATE_SIGNING,
                key -> IssueRequest.signer(CertificateProfile.STATE_SIGNING, key, "Weft state signing"), ca, clock,
                random).credentials();
        ServerCredentials appSigner = ServerCredentials.loadOrIssue(tlsFolder, APP_SIGNING, ManagerTls::appSignerRequest,
                ca, clock, random).credentials();
        new HttpsListener(configurationAdmin, tlsFolder, names.httpsPort()).configure(tls.credentials(), tls.issued(),
                random);
        return new ManagerTls(ca, tls.credentials(), stateSigner, appSigner);
    }

    private static CertificateAuthority openCa(Path folder, String name, Clock clock, SecureRandom random)
            throws IOException {
        CaFiles files = new CaFiles(clock, random);
        if (CaFiles.exists(folder)) {
            return files.load(folder);
        }
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        String uniqueName = name + " " + HexFormat.of().formatHex(suffix);
        CertificateAuthority created = files.create(folder, uniqueName);
        LOG.info("Manager PKI: created the root and issuing CA '{}' in {}; the key passphrase is in {}", uniqueName,
                folder, folder.resolve(CaFiles.PASSPHRASE_FILE));
        return created;
    }

    /** Returns the request for an app-signing certificate of the repository. */
    static IssueRequest appSignerRequest(PublicKey key) {
        return IssueRequest.signer(CertificateProfile.APP_SIGNING, key, "Weft app repository");
    }

    private static IssueRequest serverRequest(PublicKey key, Names names) {
        return IssueRequest.server(key, "Weft manager", names.dnsNames(), names.ipAddresses())
                .withLifetime(SERVER_LIFETIME);
    }
}
