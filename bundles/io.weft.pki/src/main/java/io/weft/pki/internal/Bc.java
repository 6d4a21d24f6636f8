package io.weft.pki.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider instance that every JCA call of this bundle names explicitly. It
 * is never added to {@link java.security.Security}, so other bundles see no change.
 */
public final class Bc {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
