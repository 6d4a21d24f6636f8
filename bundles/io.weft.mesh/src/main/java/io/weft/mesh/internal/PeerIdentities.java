package io.weft.mesh.internal;

import io.weft.mesh.MeshPeer;
import io.weft.pki.IssueRequest;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Reads a peer node's identity from its verified certificate. */
final class PeerIdentities {

    private static final int DNS_NAME = 2;
    private static final int URI = 6;

    private PeerIdentities() {
    }

    /**
     * Returns the peer of a verified chain: the node id from the URI subject alternative name
     * {@code urn:weft:node:<id>} and the full name from the DNS subject alternative name.
     *
     * @param expectedName the full name that the dialling side expects, or null on the accepting side
     * @throws CertificateException when the certificate lacks these names or names another node
     */
    static MeshPeer of(List<X509Certificate> chain, String expectedName, InetSocketAddress remote)
            throws CertificateException {
        if (chain.isEmpty()) {
            throw new CertificateException("the peer presented no certificate");
        }
        X509Certificate leaf = chain.get(0);
        List<String> dnsNames = new ArrayList<>();
        List<String> nodeIds = new ArrayList<>();
        for (List<?> name : alternativeNames(leaf)) {
            int type = (Integer) name.get(0);
            String value = String.valueOf(name.get(1));
            if (type == DNS_NAME) {
                dnsNames.add(value.toLowerCase(Locale.ROOT));
            } else if (type == URI && value.startsWith(IssueRequest.NODE_URI_PREFIX)) {
                nodeIds.add(value.substring(IssueRequest.NODE_URI_PREFIX.length()));
            }
        }
        String subject = leaf.getSubjectX500Principal().getName();
        if (nodeIds.size() != 1) {
            throw new CertificateException("the certificate '" + subject + "' has " + nodeIds.size() + " URI names "
                    + IssueRequest.NODE_URI_PREFIX + "<id>, but a node certificate has exactly one");
        }
        return new MeshPeer(nodeIds.get(0), fullName(subject, dnsNames, expectedName), chain, remote);
    }

    private static String fullName(String subject, List<String> dnsNames, String expectedName)
            throws CertificateException {
        if (expectedName != null) {
            String expected = expectedName.toLowerCase(Locale.ROOT);
            if (!dnsNames.contains(expected)) {
                throw new CertificateException("the certificate '" + subject + "' is for " + dnsNames
                        + ", not for the expected node '" + expected + "'");
            }
            return expected;
        }
        if (dnsNames.size() != 1) {
            throw new CertificateException("the certificate '" + subject + "' has " + dnsNames.size()
                    + " DNS names, but a node certificate has exactly one");
        }
        return dnsNames.get(0);
    }

    private static Collection<List<?>> alternativeNames(X509Certificate leaf) throws CertificateException {
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            throw new CertificateException("the subject alternative names of the peer's certificate are malformed", e);
        }
    }
}
