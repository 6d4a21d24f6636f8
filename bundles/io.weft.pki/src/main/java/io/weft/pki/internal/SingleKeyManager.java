package io.weft.pki.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Key manager with one private key and its chain, offered to every peer whose requested key
 * type matches the key. The certificates must be JDK objects, and the key an object of the
 * provider that signs with it: the JDK's for its JSSE, Bouncy Castle's for Bouncy Castle's.
 */
public final class SingleKeyManager extends X509ExtendedKeyManager {

    static final String ALIAS = "weft";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final Set<String> keyTypes;

    /**
     * @param keyTypes the key type names under which JSSE providers request this key, for
     *                 example {@code EC}, {@code ECDHE_ECDSA} and {@code EC/secp256r1} for a P-256 key
     */
    public SingleKeyManager(PrivateKey key, X509Certificate[] chain, Set<String> keyTypes) {
        this.key = key;
        this.chain = chain.clone();
        this.keyTypes = Set.copyOf(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keyTypes.contains(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return chooseAlias(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return chooseAlias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keyTypes.contains(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return keyTypes.contains(keyType) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    private String chooseAlias(String[] requested) {
        if (requested != null) {
            for (String keyType : requested) {
                if (keyTypes.contains(keyType)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }
}
