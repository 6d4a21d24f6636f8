package io.weft.manager.control.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.weft.pki.IssueRequest;

/** Reads a node's id from its certificate: the URI subject alternative name {@code urn:weft:node:<id>}. */
final class NodeIdentity {

    /** GeneralName tag of a uniformResourceIdentifier (RFC 5280, section 4.2.1.6). */
    private static final int URI = 6;

    private NodeIdentity() {
    }

    /**
     * Returns the node id of the certificate.
     *
     * @throws IllegalArgumentException when the certificate carries no node URI or more than one
     */
    static String nodeId(X509Certificate certificate) {
        List<String> ids = new ArrayList<>(1);
        for (String uri : uris(certificate)) {
            if (uri.startsWith(IssueRequest.NODE_URI_PREFIX) && uri.length() > IssueRequest.NODE_URI_PREFIX.length()) {
                ids.add(uri.substring(IssueRequest.NODE_URI_PREFIX.length()));
            }
        }
        if (ids.size() != 1) {
            throw new IllegalArgumentException("certificate '" + certificate.getSubjectX500Principal().getName()
                    + "' carries " + ids.size() + " node URIs " + IssueRequest.NODE_URI_PREFIX
                    + "<id>, expected exactly one");
        }
        return ids.get(0);
    }

    private static List<String> uris(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the subject alternative names of certificate '"
                    + certificate.getSubjectX500Principal().getName() + "' are malformed", e);
        }
        List<String> uris = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() == 2 && Integer.valueOf(URI).equals(name.get(0)) && name.get(1) instanceof String uri) {
                    uris.add(uri);
                }
            }
        }
        return uris;
    }
}
