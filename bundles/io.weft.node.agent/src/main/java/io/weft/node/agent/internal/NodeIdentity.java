package io.weft.node.agent.internal;

import io.weft.node.agent.api.Identity;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node's identity: its record, its private key and its certificate chain, leaf first and
 * ending with the Weft root CA certificate. {@link #toString()} omits the key.
 */
record NodeIdentity(IdentityRecord record, PrivateKey key, List<X509Certificate> chain) {

    NodeIdentity {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.size() < 2) {
            throw new IllegalArgumentException("The chain needs at least the node certificate and the root CA,"
                    + " but has " + chain.size() + " certificates");
        }
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** Returns the certificate serial as lower-case hexadecimal, the form that revocation lists use. */
    String serialHex() {
        return certificate().getSerialNumber().toString(16);
    }

    Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Returns the form that the node state API hands to other bundles. */
    Identity toApi() {
        return new Identity(record.nodeId(), record.nodeName(), key, chain, root());
    }

    /** Returns this identity with a new key and chain, as renewal and a new enrollment produce. */
    NodeIdentity withKeyAndChain(PrivateKey newKey, List<X509Certificate> newChain) {
        return new NodeIdentity(record, newKey, newChain);
    }

    @Override
    public String toString() {
        return "NodeIdentity[nodeId=" + record.nodeId() + ", nodeName=" + record.nodeName() + ", serial="
                + serialHex() + ", notAfter=" + notAfter() + "]";
    }
}
