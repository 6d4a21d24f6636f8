package io.weft.pki;

import java.net.InetAddress;
import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the issuing CA puts in a new end-entity certificate. The subject is {@code CN=<commonName>}
 * whatever a CSR asked for, and the subject alternative names are exactly the ones listed here.
 *
 * @param profile     key usage and extended key usages of the certificate
 * @param publicKey   the subject's public key, usually from {@link CertificationRequests#validate}
 * @param commonName  the subject's common name, 1 to 64 characters without control characters
 * @param dnsNames    DNS subject alternative names, lower-cased host names without wildcards
 * @param ipAddresses IP address subject alternative names
 * @param uris        URI subject alternative names
 * @param lifetime    time from issuing to notAfter, while notBefore lies {@link CertificateAuthority#CLOCK_SKEW} before issuing
 */
public record IssueRequest(CertificateProfile profile, PublicKey publicKey, String commonName, List<String> dnsNames,
        List<InetAddress> ipAddresses, List<URI> uris, Duration lifetime) {

    /** Prefix of the URI subject alternative name that carries a node's id. */
    public static final String NODE_URI_PREFIX = "urn:weft:node:";
    /** Maximum length of a common name (ub-common-name in RFC 5280). */
    public static final int MAX_COMMON_NAME_LENGTH = 64;
    /** Maximum length of a DNS name in presentation form. */
    public static final int MAX_DNS_NAME_LENGTH = 253;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Node ids are 1 to 128 characters that a URN allows unescaped. */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public IssueRequest {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(lifetime, "lifetime");
        requireCommonName(commonName);
        dnsNames = List.copyOf(dnsNames);
        dnsNames.forEach(IssueRequest::requireDnsName);
        ipAddresses = List.copyOf(ipAddresses);
        uris = List.copyOf(uris);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new PkiException("The certificate lifetime " + lifetime + " is not positive.");
        }
    }

    /**
     * Returns a request for a node certificate with the DNS name {@code <nodeName>.<domain>},
     * the URI {@code urn:weft:node:<nodeId>}, that DNS name as common name and a 30-day lifetime.
     */
    public static IssueRequest node(PublicKey publicKey, String nodeName, String domain, String nodeId) {
        String dnsName = (nodeName + "." + domain).toLowerCase(Locale.ROOT);
        requireDnsName(dnsName);
        if (!isValidNodeId(nodeId)) {
            throw new PkiException("The node id '" + nodeId + "' is invalid. It must be 1 to 128 letters, digits,"
                    + " dots, underscores or hyphens, starting with a letter or digit.");
        }
        URI uri = URI.create(NODE_URI_PREFIX + nodeId);
        return new IssueRequest(CertificateProfile.NODE, publicKey, dnsName, List.of(dnsName), List.of(), List.of(uri),
                CertificateProfile.NODE.defaultLifetime());
    }

    /** Returns a request for a TLS server certificate of the manager, valid for 90 days. */
    public static IssueRequest server(PublicKey publicKey, String commonName, List<String> dnsNames,
            List<InetAddress> ipAddresses) {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new PkiException("A server certificate needs at least one DNS name or IP address.");
        }
        return new IssueRequest(CertificateProfile.SERVER, publicKey, commonName, dnsNames, ipAddresses, List.of(),
                CertificateProfile.SERVER.defaultLifetime());
    }

    /** Returns a request for a STATE_SIGNING, CODE_SIGNING or APP_SIGNING certificate without alternative names. */
    public static IssueRequest signer(CertificateProfile profile, PublicKey publicKey, String commonName) {
        if (profile != CertificateProfile.STATE_SIGNING && profile != CertificateProfile.CODE_SIGNING
                && profile != CertificateProfile.APP_SIGNING) {
            throw new IllegalArgumentException("Expected a signing profile, not " + profile);
        }
        return new IssueRequest(profile, publicKey, commonName, List.of(), List.of(), List.of(),
                profile.defaultLifetime());
    }

    /** Returns a copy of this request with another lifetime. */
    public IssueRequest withLifetime(Duration newLifetime) {
        return new IssueRequest(profile, publicKey, commonName, dnsNames, ipAddresses, uris, newLifetime);
    }

    /** Returns true when {@code nodeId} is 1 to 128 letters, digits, dots, underscores or hyphens, starting with a letter or digit. */
    static boolean isValidNodeId(String nodeId) {
        return nodeId != null && NODE_ID.matcher(nodeId).matches();
    }

    private static void requireCommonName(String commonName) {
        if (commonName == null || commonName.isEmpty() || commonName.length() > MAX_COMMON_NAME_LENGTH
                || commonName.chars().anyMatch(Character::isISOControl)) {
            throw new PkiException("The common name '" + commonName + "' is invalid. It must be 1 to "
                    + MAX_COMMON_NAME_LENGTH + " characters without control characters.");
        }
    }

    private static void requireDnsName(String name) {
        boolean valid = name != null && !name.isEmpty() && name.length() <= MAX_DNS_NAME_LENGTH;
        if (valid) {
            for (String label : name.split("\\.", -1)) {
                valid &= DNS_LABEL.matcher(label).matches();
            }
        }
        if (!valid) {
            throw new PkiException("The DNS name '" + name + "' is invalid. It must be lower-case labels of letters,"
                    + " digits and inner hyphens, 1 to 63 characters each, separated by dots, at most "
                    + MAX_DNS_NAME_LENGTH + " characters in total.");
        }
    }
}
