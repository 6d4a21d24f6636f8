package io.weft.node.agent.internal;

import io.weft.control.state.DesiredStateDocument;
import io.weft.fleet.ProfileValue;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Configuration Admin hold the configurations of a desired state. Each configuration
 * that Weft creates carries {@value #OWNER_KEY}={@value #OWNER} and {@value #REVISION_KEY},
 * the revision that last changed it. A configuration is created or updated only when its
 * properties differ from the desired ones, and an owned configuration that the state no longer
 * lists is deleted. A PID that exists without the owner mark belongs to someone else: it is
 * never touched, only reported.
 *
 * <p>A PID of the form {@code factoryPid~name} becomes a named factory configuration
 * (Configuration Admin 1.6). New configurations get the location {@code ?}, so they bind to
 * whichever bundle uses them.
 */
final class ConfigurationReconciler implements StateApplier {

    static final String OWNER_KEY = "weft.owner";
    static final String OWNER = "io.weft.node.agent";
    static final String REVISION_KEY = "weft.revision";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationReconciler.class);
    /** Properties that Configuration Admin, Felix File Install or Weft's revision mark add, left out of comparisons. */
    private static final Set<String> BOOKKEEPING_KEYS = Set.of(
            Constants.SERVICE_PID.toLowerCase(Locale.ROOT),
            ConfigurationAdmin.SERVICE_FACTORYPID.toLowerCase(Locale.ROOT),
            ConfigurationAdmin.SERVICE_BUNDLELOCATION.toLowerCase(Locale.ROOT),
            "felix.fileinstall.filename",
            REVISION_KEY);

    private final ConfigurationAdmin configurationAdmin;
    private final Set<String> warnedPids = ConcurrentHashMap.newKeySet();

    ConfigurationReconciler(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
    }

    @Override
    public ApplyResult apply(DesiredStateDocument document) throws IOException {
        Map<String, Configuration> owned = ownedConfigurations();
        SortedSet<String> skipped = new TreeSet<>();
        int created = 0;
        int updated = 0;
        int unchanged = 0;

        for (Map.Entry<String, Map<String, ProfileValue>> entry : document.configurations().entrySet()) {
            String pid = entry.getKey();
            Hashtable<String, Object> desired = properties(entry.getValue());
            Configuration configuration = owned.remove(pid);
            if (configuration == null && isForeign(pid)) {
                skip(pid, document.revision());
                skipped.add(pid);
            } else if (configuration == null) {
                create(pid).update(marked(desired, document.revision()));
                created++;
            } else if (sameProperties(configuration.getProperties(), desired)) {
                unchanged++;
            } else {
                configuration.update(marked(desired, document.revision()));
                updated++;
            }
        }

        for (Configuration stale : owned.values()) {
            stale.delete();
        }
        warnedPids.retainAll(skipped);
        return new ApplyResult(created, updated, owned.size(), unchanged, skipped);
    }

    private Map<String, Configuration> ownedConfigurations() throws IOException {
        Map<String, Configuration> owned = new HashMap<>();
        for (Configuration configuration : list("(" + OWNER_KEY + "=" + OWNER + ")")) {
            owned.put(configuration.getPid(), configuration);
        }
        return owned;
    }

    /** Returns true when a configuration with properties exists for {@code pid} and Weft does not own it. */
    private boolean isForeign(String pid) throws IOException {
        return list("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")").length > 0;
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("The filter " + filter + " is invalid", e);
        }
    }

    private Configuration create(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        if (tilde > 0 && tilde < pid.length() - 1) {
            return configurationAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
        }
        return configurationAdmin.getConfiguration(pid, "?");
    }

    private void skip(String pid, long revision) {
        if (warnedPids.add(pid)) {
            LOG.warn("Reconciler: configuration '{}' of revision {} exists and Weft did not create it, so it is left"
                    + " unchanged. Delete it (config:delete {}) to let the manager's profile apply.", pid, revision,
                    pid);
        }
    }

    private static Hashtable<String, Object> properties(Map<String, ProfileValue> values) {
        Hashtable<String, Object> properties = new Hashtable<>();
        values.forEach((key, value) -> properties.put(key, value.toConfigurationValue()));
        properties.put(OWNER_KEY, OWNER);
        return properties;
    }

    private static Hashtable<String, Object> marked(Hashtable<String, Object> desired, long revision) {
        Hashtable<String, Object> properties = new Hashtable<>(desired);
        properties.put(REVISION_KEY, revision);
        return properties;
    }

    /** Compares the stored properties with the desired ones, ignoring bookkeeping keys; arrays by content. */
    static boolean sameProperties(Dictionary<String, Object> stored, Map<String, Object> desired) {
        if (stored == null) {
            return false;
        }
        Map<String, Object> relevant = new HashMap<>();
        for (Enumeration<String> keys = stored.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!BOOKKEEPING_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                relevant.put(key, stored.get(key));
            }
        }
        if (!relevant.keySet().equals(desired.keySet())) {
            return false;
        }
        return desired.entrySet().stream().allMatch(entry -> Objects.deepEquals(entry.getValue(),
                relevant.get(entry.getKey())));
    }

    /** Escapes the characters that RFC 1960 filters reserve. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
