package io.weft.node.apps.itest;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Activator of a broken app version, copied into a test bundle: its start always throws. */
public class BrokenActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("broken on purpose");
    }

    @Override
    public void stop(BundleContext context) {
    }
}
