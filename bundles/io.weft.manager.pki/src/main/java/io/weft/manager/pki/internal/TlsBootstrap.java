package io.weft.manager.pki.internal;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the CA and the HTTPS certificate when the bundle starts, before pax-web starts.
 *
 * <p>The Karaf feature starts this bundle at a lower start level than pax-web, so pax-web
 * reads an HTTPS configuration whose key store exists already. Configuring HTTPS later makes
 * pax-web restart its listeners, and in that restart the JAX-RS whiteboard's servlet can stay
 * unregistered. The configuration comes from {@code etc/}{@value ManagerPkiComponent#PID}{@code .cfg}
 * directly, because Felix FileInstall may not have loaded it into ConfigurationAdmin yet.
 * A failure is logged; the PKI component then tries again and reports it.
 */
public class TlsBootstrap implements BundleActivator {

    static final String KARAF_ETC = "karaf.etc";
    private static final long CONFIGURATION_ADMIN_WAIT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(TlsBootstrap.class);

    @Override
    public void start(BundleContext context) throws Exception {
        String data = context.getProperty(ManagerPkiComponent.KARAF_DATA);
        String etc = context.getProperty(KARAF_ETC);
        if (data == null || etc == null) {
            LOG.warn("Manager PKI: karaf.data or karaf.etc is not set, so HTTPS is prepared later by the PKI component");
            return;
        }

        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker = new ServiceTracker<>(context,
                ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin configurationAdmin = tracker.waitForService(
                    TimeUnit.SECONDS.toMillis(CONFIGURATION_ADMIN_WAIT_SECONDS));
            if (configurationAdmin == null) {
                LOG.warn("Manager PKI: no ConfigurationAdmin within {} s, so HTTPS is prepared later by the PKI"
                        + " component", CONFIGURATION_ADMIN_WAIT_SECONDS);
                return;
            }
            ManagerTls.Names names = names(Path.of(etc).resolve(ManagerPkiComponent.PID + ".cfg"));
            ManagerTls.prepare(Path.of(data), names, configurationAdmin, Clock.systemUTC(), new SecureRandom());
        } catch (IOException | RuntimeException e) {
            LOG.error("Manager PKI: preparing the CA and the HTTPS certificate at bundle start failed; the PKI"
                    + " component tries again", e);
        } finally {
            tracker.close();
        }
    }

    @Override
    public void stop(BundleContext context) {
        // Nothing runs after start.
    }

    /** Reads the names from the configuration file, with the defaults of {@link PkiConfig} for missing keys. */
    static ManagerTls.Names names(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            }
        }
        String caName = value(properties, "caName");
        List<String> dnsNames = list(properties, "serverDnsNames");
        String[] ipAddresses = list(properties, "serverIpAddresses").toArray(new String[0]);
        int httpsPort = Integer.parseInt(value(properties, "httpsPort"));
        return new ManagerTls.Names(caName, dnsNames, ServerCredentials.ipAddresses(ipAddresses), httpsPort);
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? String.valueOf(defaultOf(key)) : value.strip();
    }

    private static List<String> list(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            return Arrays.asList((String[]) defaultOf(key));
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static Object defaultOf(String key) {
        try {
            Method attribute = PkiConfig.class.getMethod(key);
            return attribute.getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("PkiConfig has no attribute " + key, e);
        }
    }
}
