package io.weft.manager.rest.internal;

import javax.ws.rs.ext.RuntimeDelegate;

import org.apache.cxf.jaxrs.impl.RuntimeDelegateImpl;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Installs CXF's RuntimeDelegate, as the Aries JAX-RS Whiteboard does in the manager. Without
 * it, the Aries spec API looks for its OSGi locator, which a plain class path lacks.
 */
public final class CxfRuntimeDelegate implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        RuntimeDelegate.setInstance(new RuntimeDelegateImpl());
    }
}
