package io.weft.node.apps.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The framework operations on app bundles: install or update from a file, refresh, resolve,
 * start and uninstall. App bundles have the location {@code weft-app:<symbolic name>}, so each
 * app has at most one bundle in the framework.
 */
final class BundleInstaller {

    static final String LOCATION_PREFIX = "weft-app:";
    private static final long REFRESH_TIMEOUT_SECONDS = 60;

    private final BundleContext context;
    private final FrameworkWiring wiring;

    BundleInstaller(BundleContext context) {
        this.context = context;
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
    }

    Optional<Bundle> find(String app) {
        return Optional.ofNullable(context.getBundle(LOCATION_PREFIX + app));
    }

    Bundle install(String app, Path file) throws BundleException, IOException {
        requireNotPlatform(app);
        try (InputStream in = Files.newInputStream(file)) {
            return context.installBundle(LOCATION_PREFIX + app, in);
        }
    }

    /**
     * Rejects an app whose symbolic name is that of a bundle the node runs outside the apps,
     * such as a platform bundle. Installed next to it in another version, the app could export
     * the same packages and services and take their place for other bundles.
     */
    private void requireNotPlatform(String app) throws BundleException {
        for (Bundle bundle : context.getBundles()) {
            if (app.equals(bundle.getSymbolicName()) && !bundle.getLocation().startsWith(LOCATION_PREFIX)) {
                throw new BundleException("the app's Bundle-SymbolicName '" + app + "' is that of bundle "
                        + bundle.getBundleId() + " " + bundle.getVersion() + ", which the node runs outside the apps;"
                        + " give the app a symbolic name of its own", BundleException.DUPLICATE_BUNDLE_ERROR);
            }
        }
    }

    /** Stops the bundle, replaces its content and refreshes it, leaving it INSTALLED or RESOLVED. */
    void update(Bundle bundle, Path file) throws BundleException, IOException, InterruptedException {
        bundle.stop();
        try (InputStream in = Files.newInputStream(file)) {
            bundle.update(in);
        }
        refresh(bundle);
    }

    /**
     * Resolves the bundle, then starts it.
     *
     * @throws BundleException with the resolver's reason when it does not resolve, or the
     *                         activator's failure
     */
    void resolveAndStart(Bundle bundle) throws BundleException {
        if (!wiring.resolveBundles(List.of(bundle))) {
            // start() runs the resolver again and names the missing requirement in its exception.
            bundle.start();
            throw new BundleException("bundle " + bundle.getSymbolicName() + " does not resolve",
                    BundleException.RESOLVE_ERROR);
        }
        bundle.start();
    }

    void uninstall(Bundle bundle) throws BundleException, InterruptedException {
        bundle.uninstall();
        refresh(bundle);
    }

    /** Refreshes the bundle and the bundles wired to it, and waits until the framework is done. */
    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("refreshing bundle " + bundle.getSymbolicName() + " took longer than "
                    + REFRESH_TIMEOUT_SECONDS + " s");
        }
    }
}
