package io.weft.manager.pki.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.TlsContexts;

/**
 * pax-web's HTTPS listener with the manager's TLS certificate: writes the key store as an
 * owner-only PKCS#12 file with a generated password, and sets the secure listener in PID
 * {@value #PAX_WEB_PID}. pax-web restarts its server when that configuration changes, so this
 * class changes it only when a value differs.
 */
final class HttpsListener {

    static final String PAX_WEB_PID = "org.ops4j.pax.web";
    static final String KEY_STORE_FILE = "https.p12";
    static final String PASSWORD_FILE = "https.password";
    static final String ALIAS = "weft-manager";

    private static final Logger LOG = LoggerFactory.getLogger(HttpsListener.class);

    private final ConfigurationAdmin configurationAdmin;
    private final Path folder;
    private final int port;

    HttpsListener(ConfigurationAdmin configurationAdmin, Path folder, int port) {
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.port = port;
    }

    /**
     * Writes the key store when the credentials are new or it is missing, then makes sure that
     * pax-web serves HTTPS with it.
     */
    void configure(ServerCredentials credentials, boolean issuedNow, SecureRandom random) throws IOException {
        Path keyStore = folder.resolve(KEY_STORE_FILE);
        Path passwordFile = folder.resolve(PASSWORD_FILE);
        boolean rewrite = issuedNow || !Files.exists(keyStore) || !Files.exists(passwordFile);

        String password;
        if (rewrite) {
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            OwnerOnlyFiles.write(keyStore, credentials.toPkcs12(ALIAS, password.toCharArray()));
            OwnerOnlyFiles.write(passwordFile, password.getBytes(StandardCharsets.US_ASCII));
        } else {
            password = new String(OwnerOnlyFiles.read(passwordFile, 1024), StandardCharsets.US_ASCII).strip();
        }

        Map<String, String> expected = Map.of(
                "org.osgi.service.http.secure.enabled", "true",
                "org.osgi.service.http.port.secure", Integer.toString(port),
                "org.ops4j.pax.web.ssl.keystore", keyStore.toString(),
                "org.ops4j.pax.web.ssl.keystore.type", "PKCS12",
                "org.ops4j.pax.web.ssl.keystore.password", password,
                "org.ops4j.pax.web.ssl.key.password", password,
                "org.ops4j.pax.web.ssl.key.alias", ALIAS,
                "org.ops4j.pax.web.ssl.protocols.included", String.join(",", TlsContexts.PROTOCOLS),
                "org.ops4j.pax.web.ssl.clientauth.needed", "false");
        update(expected, rewrite);
    }

    private void update(Map<String, String> expected, boolean keyStoreChanged) throws IOException {
        Configuration configuration = configurationAdmin.getConfiguration(PAX_WEB_PID, "?");
        Dictionary<String, Object> current = configuration.getProperties();
        Dictionary<String, Object> updated = new Hashtable<>();
        if (current != null) {
            for (var keys = current.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                updated.put(key, current.get(key));
            }
        }

        boolean differs = keyStoreChanged;
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            Object value = updated.get(entry.getKey());
            if (value == null || !entry.getValue().equals(value.toString())) {
                differs = true;
                updated.put(entry.getKey(), entry.getValue());
            }
        }
        if (!differs) {
            return;
        }
        configuration.update(updated);
        LOG.info("Manager PKI: set pax-web's HTTPS listener to port {} with the manager's TLS certificate", port);
    }
}
